export type {
  Nexthop, NexthopBucket, NexthopGroupMember, IpVersion, NexthopEncapSpec, NexthopWord, NexthopSpec, NexthopFilter, BucketFilter,
  NexthopFlushResult, NexthopChange,
} from './model.js';
export {
  DEFAULT_WORDS, describeNexthopChange, nexthopModel, nexthopRequest, deleteByIdRequest, nexthopDumpRequest, nexthopGetRequest, bucketDumpRequest,
  bucketGetRequest, protocolNumber, type NexthopResolved, type DumpSelector,
} from './encode.js';
export {
  nexthopChangeRequest, modifyNexthop, addNexthop, replaceNexthop, deleteNexthop, resolveNexthopFilter, nexthopSelected,
  getNexthop, listNexthops, flushNexthops, listBuckets, getBucket, batchNexthops, nexthopFamily, type NexthopBatchItem,
} from './plans.js';
export { encapBytes, encapFields, type EncapField } from './encap.js';
export {
  JsonPairs, jsonText, formatG, formatNexthop, nexthopJson, nexthopToJson, formatBucket, bucketJson,
  type JsonPiece, type NexthopPrintOptions,
} from './print.js';
export { parseNexthopCommand, parseNexthopSpec, parseNexthopFilter, parseGroup, NEXTHOP_USAGE, type NexthopCommand } from './parse.js';
export { nexthopCommandPlan, type NexthopCommandResult } from './command.js';
export { nexthops, nexthopsAsync, type NexthopOps, type AsyncNexthopOps } from './api.js';
