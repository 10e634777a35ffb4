// RTM_NEWADDR/DELADDR/GETADDR: struct ifaddrmsg and IFA_* attributes as a typed Address.
import { AF_INET6, MessageBuilder, type Message } from '@vrfctl/netlink';
import { ifaddrmsg, ifaCacheinfo, type IfaCacheInfo, type IfAddrMsg } from './layouts.js';
import { RTM } from './constants/messages.js';
import { IFA, addressProtocolNames, ifaFlagNames } from './constants/address.js';
import { scopeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { address, enumOf, s32, string, struct, u32, u8 } from './schema/codecs.js';
import { WIRE, attributeTable, type AttributeModel } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageSchema } from './schema/message.js';
import { familyNames, type Placement } from './wire.js';

export interface Address extends AttributeModel {
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
}

/** The attribute view: the model plus IFA_FLAGS, which the header's ifa_flags joins. */
type AddressAttributes = Address & { flagsAttribute?: number };

/** What a decoded address keeps to be written back identically (see WIRE). */
interface AddressWire {
  /**
   * Where the flags travelled. Absent means iproute2's choice: ifa_flags when they fit a byte,
   * else IFA_FLAGS with ifa_flags 0. The kernel sends 'both' (ifa_flags holds the low byte).
   */
  flagsIn?: Placement;
  /** ifa_flags as sent, only when it matches none of the placements. */
  ifaFlags?: number;
}

// inet_fill_ifaddr's order (rank) and inet6_fill_ifaddr's (rank6).
export const ADDRESS_ATTRIBUTES = attributeTable<AddressAttributes>(IFA, 'IFA_', [
  { type: IFA.ADDRESS, key: 'address', codec: address },
  { type: IFA.LOCAL, key: 'local', codec: address },
  { type: IFA.BROADCAST, key: 'broadcast', codec: address },
  { type: IFA.ANYCAST, key: 'anycast', codec: address },
  { type: IFA.MULTICAST, key: 'multicast', codec: address },
  { type: IFA.LABEL, key: 'label', codec: string },
  { type: IFA.PROTO, key: 'proto', codec: enumOf(u8, addressProtocolNames), rank6: 9 },
  { type: IFA.FLAGS, key: 'flagsAttribute', codec: u32, rank6: 8 },
  { type: IFA.RT_PRIORITY, key: 'rtPriority', codec: u32, rank6: 6 },
  { type: IFA.CACHEINFO, key: 'cacheinfo', codec: struct(ifaCacheinfo), rank6: 7 },
  { type: IFA.TARGET_NETNSID, codec: s32 },
]);

export const ADDRESS_SCHEMA = messageSchema<Address, IfAddrMsg, AddressAttributes>({
  name: 'ifaddrmsg',
  header: ifaddrmsg,
  attributes: ADDRESS_ATTRIBUTES,
  types: [RTM.NEWADDR, RTM.DELADDR, RTM.GETADDR],
  inet6: (h) => h.family === AF_INET6,
  fromHeader: (h) => ({
    family: familyNames.name(h.family), prefixlen: h.prefixlen, flags: [], scope: scopeNames.name(h.scope), index: h.index,
    unknown: [],
  }),
  finish: (a, h) => {
    const attr = a.flagsAttribute;
    delete a.flagsAttribute;
    if (attr === undefined) a.flags = ifaFlagNames.names(h.flags);
    else {
      a.flags = ifaFlagNames.names(attr);
      if (h.flags === 0) {
        if (attr <= 0xff) ((a[WIRE] ??= {}) as AddressWire).flagsIn = 'attribute';
      } else {
        const wire = (a[WIRE] ??= {}) as AddressWire;
        wire.flagsIn = 'both';
        if (h.flags !== (attr & 0xff)) wire.ifaFlags = h.flags;
      }
    }
    return a;
  },
  toWire: (a) => {
    const wire = (a[WIRE] ?? {}) as AddressWire;
    const flags = ifaFlagNames.value(a.flags);
    const placement: Placement = wire.flagsIn ?? (flags <= 0xff ? 'header' : 'attribute');
    if (placement === 'header' && flags > 0xff) throw new RangeError('address flags above 0xff need IFA_FLAGS');
    return {
      header: {
        family: familyNames.value(a.family), prefixlen: a.prefixlen, flags: wire.ifaFlags ?? (placement === 'attribute' ? 0 : flags & 0xff),
        scope: scopeNames.value(a.scope), index: a.index,
      },
      attributes: { ...a, flagsAttribute: placement === 'header' ? undefined : flags },
    };
  },
});

export function decodeAddress(msg: Message): Address {
  return decodeMessage(ADDRESS_SCHEMA, msg);
}

export function encodeAddress(b: MessageBuilder, a: Address): void {
  encodeMessage(ADDRESS_SCHEMA, b, a);
}
