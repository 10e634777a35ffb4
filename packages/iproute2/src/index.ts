export {
  type IpVersion, ArgCursor, ArgumentError, parseAddressArg, parseOnOff, parsePrefixArg, parseUnsigned, validateInterfaceName,
} from './args.js';
export { DeviceNotFoundError } from './errors.js';
export {
  IPROUTE2_DIR, NameDatabase, dsfieldNames, groupNames, protocolNames, realmNames, scopeNames, tableNames,
  formatDsfield, formatGroup, formatRealm, parseDsfield, parseGroup, parseRealms, parseTable,
} from './names.js';
export { RESERVED_TABLE_NAMES, checkTableName, removeTableNames, writeTableName } from './table-names.js';
export { formatIpProto, parseIpProto } from './ipproto.js';
export { LOOKUP_EXT_MASK, isNoSuchLink, writeLinkLookup, writeLinkName } from './link-lookup.js';
export { linkIndex, linkNameMap, vrfLink, vrfTableOf } from './link-plans.js';
