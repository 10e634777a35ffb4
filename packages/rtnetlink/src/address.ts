// RTM_NEWADDR/DELADDR/GETADDR: struct ifaddrmsg and IFA_* attributes as a typed Address.
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import { ifaddrmsg, ifaCacheinfo, type IfaCacheInfo } from './layouts.js';
import { IFA, addressProtocolNames, ifaFlagNames } from './constants/address.js';
import { scopeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { FieldTable, decodeFields, encodeFields, enumOf, ip, string, struct, u32, u8 } from './fields.js';
import { familyNames, type Placement, type RawAttribute } from './wire.js';

export const IFADDRMSG_LEN = 8;

export interface Address {
  family: EnumValue;
  prefixlen: number;
  /** IFA_F_* names: IFA_FLAGS when present, else ifa_flags. */
  flags: string[];
  scope: EnumValue;
  index: number;
  /** IFA_ADDRESS: the peer on point-to-point links, else the same as local. */
  address?: string;
  local?: string;
  label?: string;
  broadcast?: string;
  anycast?: string;
  multicast?: string;
  cacheinfo?: IfaCacheInfo;
  rtPriority?: number;
  proto?: EnumValue;
  /**
   * Where the flags travel. Absent means iproute2's choice: ifa_flags when they fit a byte,
   * else IFA_FLAGS with ifa_flags 0. The kernel sends 'both' (ifa_flags holds the low byte).
   */
  flagsIn?: Placement;
  /** ifa_flags as sent, only when it matches none of the placements. */
  ifaFlags?: number;
  unknown: RawAttribute[];
  order?: number[];
}

const FIELDS = [
  { type: IFA.ADDRESS, key: 'address', codec: ip },
  { type: IFA.LOCAL, key: 'local', codec: ip },
  { type: IFA.BROADCAST, key: 'broadcast', codec: ip },
  { type: IFA.ANYCAST, key: 'anycast', codec: ip },
  { type: IFA.MULTICAST, key: 'multicast', codec: ip },
  { type: IFA.LABEL, key: 'label', codec: string },
  { type: IFA.PROTO, key: 'proto', codec: enumOf(u8, addressProtocolNames) },
  { type: IFA.FLAGS, key: '_flags', codec: u32 },
  { type: IFA.RT_PRIORITY, key: 'rtPriority', codec: u32 },
  { type: IFA.CACHEINFO, key: 'cacheinfo', codec: struct(ifaCacheinfo) },
];
// inet_fill_ifaddr and inet6_fill_ifaddr write in different orders.
const TABLE_V4 = new FieldTable(FIELDS);
const TABLE_V6 = new FieldTable(FIELDS, [
  IFA.ADDRESS, IFA.LOCAL, IFA.BROADCAST, IFA.ANYCAST, IFA.MULTICAST, IFA.LABEL, IFA.RT_PRIORITY, IFA.CACHEINFO, IFA.FLAGS, IFA.PROTO,
]);

export function decodeAddress(msg: Message): Address {
  const p = msg.payload;
  if (p.length < IFADDRMSG_LEN) throw new DecodeError(`ifaddrmsg needs ${IFADDRMSG_LEN} bytes, message has ${p.length}`, msg.offset);
  const h = ifaddrmsg.decode(p, 0);
  const a: Address = {
    family: familyNames.name(h.family), prefixlen: h.prefixlen, flags: [], scope: scopeNames.name(h.scope), index: h.index,
    unknown: [],
  };
  decodeFields(p, IFADDRMSG_LEN, p.length, h.family === 10 ? TABLE_V6 : TABLE_V4, a, undefined, msg.offset + 16);
  const withAttr = a as Address & { _flags?: number };
  const attr = withAttr._flags;
  delete withAttr._flags;
  if (attr === undefined) a.flags = ifaFlagNames.names(h.flags);
  else {
    a.flags = ifaFlagNames.names(attr);
    if (h.flags === 0) {
      if (attr <= 0xff) a.flagsIn = 'attribute';
    } else {
      a.flagsIn = 'both';
      if (h.flags !== (attr & 0xff)) a.ifaFlags = h.flags;
    }
  }
  return a;
}

export function encodeAddress(b: MessageBuilder, a: Address): void {
  const family = familyNames.value(a.family);
  const flags = ifaFlagNames.value(a.flags);
  const placement: Placement = a.flagsIn ?? (flags <= 0xff ? 'header' : 'attribute');
  if (placement === 'header' && flags > 0xff) throw new RangeError('address flags above 0xff need IFA_FLAGS');
  const at = b.reserve(IFADDRMSG_LEN);
  const hdrFlags = a.ifaFlags ?? (placement === 'attribute' ? 0 : flags & 0xff);
  ifaddrmsg.encode({ family, prefixlen: a.prefixlen, flags: hdrFlags, scope: scopeNames.value(a.scope), index: a.index }, b.raw, at);
  encodeFields(b, family === 10 ? TABLE_V6 : TABLE_V4, a, (type, raw) => {
    if (type !== IFA.FLAGS) return undefined;
    if (placement === 'header') return false;
    b.u32(raw, flags);
    return true;
  });
}
