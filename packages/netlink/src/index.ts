export {
  NETLINK_ROUTE, NETLINK_SOCK_DIAG, NETLINK_GENERIC, NLMSG_NOOP, NLMSG_ERROR, NLMSG_DONE, NLMSG_OVERRUN,
  NLMSG_MIN_TYPE, NLMSG_ALIGNTO, NLMSG_HDRLEN, NLA_HDRLEN, NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK,
  NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_DUMP,
  NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, NLM_F_NONREC, NLM_F_BULK, NLM_F_CAPPED,
  NLM_F_ACK_TLVS, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, NLMSGERR_ATTR_UNUSED,
  NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_POLICY,
  NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
  NETLINK_DROP_MEMBERSHIP, NETLINK_PKTINFO, NETLINK_BROADCAST_ERROR, NETLINK_NO_ENOBUFS,
  NETLINK_LISTEN_ALL_NSID, NETLINK_LIST_MEMBERSHIPS, NETLINK_CAP_ACK, NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK, type FlagContext, flagNames, flagsFromNames, align,
} from './constants.js';
export { errnoName, strerror, errnoFromName, Errno } from './errno.js';
export {
  DecodeError, type ExtendedAck, type NetlinkErrorContext, NetlinkError, NotFoundError, ExistsError,
  PermissionError, BusyError, InvalidRequestError, kernelError,
} from './errors.js';
export {
  AF_UNSPEC, AF_INET, AF_BRIDGE, AF_INET6, AF_MPLS, type Family, parseIPv4, parseIPv6, parseIP, formatIPv4,
  formatIPv6, formatIP, formatHexColon, parseMac, formatMac, type Prefix, parsePrefix, familyOfAddress,
  addressLength,
} from './address.js';
export { readU32LE, readU16LE } from './bytes.js';
export {
  type MessageHeader, type Message, readHeader, writeHeader, forEachMessage, parseMessages,
} from './message.js';
export {
  type Attribute, MAX_NEST_DEPTH, forEachAttribute, parseAttributes, parseNested, getU8, getU16, getU32,
  getS32, getU64, getU16BE, getU32BE, getString, getIPv4, getIPv6, getIP, getMac,
} from './attributes.js';
export { MessageBuilder } from './builder.js';
export { type ErrorReply, parseErrorReply, errorFromReply, buildErrorReply } from './ack.js';
export { fromHex, toHex } from './hex.js';
export { UNSAFE_TEXT, printable } from './printable.js';
