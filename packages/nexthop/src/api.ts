// The conveniences: the plans bound to a socket, synchronous or asynchronous. As for routes,
// rules and links, every call takes `{ signal, timeoutMs }` last, over the object's defaults.
import {
  bindAsync, bindSync, type Arity, type AsyncNetlink, type CallOptions, type SpecResult, type SyncNetlink,
} from '@vrfctl/socket';
import type { BucketFilter, Nexthop, NexthopBucket, NexthopFilter, NexthopFlushResult, NexthopSpec } from './model.js';
import {
  addNexthop, batchNexthops, deleteNexthop, flushNexthops, getBucket, getNexthop, listBuckets, listNexthops, replaceNexthop,
  type NexthopBatchItem,
} from './plans.js';

export interface NexthopOps {
  add(spec: NexthopSpec, opts?: CallOptions): void;
  replace(spec: NexthopSpec, opts?: CallOptions): void;
  delete(spec: NexthopSpec | number, opts?: CallOptions): void;
  get(id: number, opts?: CallOptions): Nexthop;
  list(filter?: NexthopFilter, opts?: CallOptions): Nexthop[];
  flush(filter?: NexthopFilter, opts?: CallOptions): NexthopFlushResult;
  buckets(filter?: BucketFilter, opts?: CallOptions): NexthopBucket[];
  bucket(id: number, index: number, opts?: CallOptions): NexthopBucket;
  batch(items: readonly NexthopBatchItem[], opts?: CallOptions): Array<SpecResult<NexthopBatchItem>>;
}

export interface AsyncNexthopOps {
  add(spec: NexthopSpec, opts?: CallOptions): Promise<void>;
  replace(spec: NexthopSpec, opts?: CallOptions): Promise<void>;
  delete(spec: NexthopSpec | number, opts?: CallOptions): Promise<void>;
  get(id: number, opts?: CallOptions): Promise<Nexthop>;
  list(filter?: NexthopFilter, opts?: CallOptions): Promise<Nexthop[]>;
  flush(filter?: NexthopFilter, opts?: CallOptions): Promise<NexthopFlushResult>;
  buckets(filter?: BucketFilter, opts?: CallOptions): Promise<NexthopBucket[]>;
  bucket(id: number, index: number, opts?: CallOptions): Promise<NexthopBucket>;
  batch(items: readonly NexthopBatchItem[], opts?: CallOptions): Promise<Array<SpecResult<NexthopBatchItem>>>;
}

const NEXTHOP_PLANS = {
  add: addNexthop, replace: replaceNexthop, delete: deleteNexthop, list: listNexthops, flush: flushNexthops,
  buckets: listBuckets, batch: batchNexthops,
  // Without the family argument the plans take: the call's options come second.
  get: (id: number) => getNexthop(id),
  bucket: (id: number, index: number) => getBucket(id, index),
};
const ARITY: Arity<typeof NEXTHOP_PLANS> = {
  add: 1, replace: 1, delete: 1, get: 1, list: 1, flush: 1, buckets: 1, bucket: 2, batch: 1,
};

/** `nexthops(nl).add({ id: 1, gateway: '10.0.0.2', dev: 'eth0' })`. */
export function nexthops(nl: SyncNetlink, defaults?: CallOptions): NexthopOps {
  return bindSync(nl, NEXTHOP_PLANS, ARITY, defaults);
}

/** `await nexthopsAsync(nl).list({ groups: true })`; opts (signal, timeoutMs) apply to every step. */
export function nexthopsAsync(nl: AsyncNetlink, defaults?: CallOptions): AsyncNexthopOps {
  return bindAsync(nl, NEXTHOP_PLANS, ARITY, defaults);
}
