// A link as the library returns it, decoded from RTM_NEWLINK. Attributes the model does not
// name are kept raw in `attributes`, so callers can read anything the kernel sent.
import {
  DecodeError, forEachAttribute, getMac, getString, getU32, getU8, parseNested, type Message,
} from '@vrfctl/netlink';
import { IFLA, IFLA_INFO } from '@vrfctl/rtnetlink';
import { IFINFOMSG_LEN } from './headers.js';

/** A link by name ("eth0", or an alternative name) or by ifindex. */
export type LinkRef = string | number;

export interface Link {
  index: number;
  name: string;
  /** ifi_type: ARPHRD_* (1 ether, 772 loopback…). */
  type: number;
  /** ifi_flags: IFF_* bits. */
  flags: number;
  mtu?: number;
  minMtu?: number;
  maxMtu?: number;
  qdisc?: string;
  /** ifindex of the master (bridge, bond, VRF). */
  master?: number;
  /** IF_OPER_* */
  operstate?: number;
  /** IF_LINK_MODE_* */
  linkmode?: number;
  group?: number;
  txqlen?: number;
  address?: string;
  broadcast?: string;
  permAddress?: string;
  /** IFLA_LINK: the lower device's ifindex (veth peer, VLAN parent…), maybe in another netns. */
  link?: number;
  /** IFLA_LINK_NETNSID: the netns of `link`, when it is not this one. */
  linkNetnsid?: number;
  alias?: string;
  altnames: string[];
  promiscuity?: number;
  numTxQueues?: number;
  numRxQueues?: number;
  /** IFLA_INFO_KIND: "veth", "bridge", "vrf"… (absent for physical devices). */
  kind?: string;
  /** IFLA_INFO_SLAVE_KIND: the master's kind as seen from a port. */
  slaveKind?: string;
  /** IFLA_INFO_DATA members, raw by type. */
  info: Map<number, Buffer>;
  /** IFLA_INFO_SLAVE_DATA members, raw by type. */
  slaveInfo: Map<number, Buffer>;
  /** Every top-level attribute, raw by type (copies). */
  attributes: Map<number, Buffer>;
}

function nestedMap(value: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (const a of parseNested(value, 2)) out.set(a.type, Buffer.from(a.value));
  return out;
}

/** Decodes an RTM_NEWLINK/RTM_DELLINK message; DecodeError when it is malformed. */
export function linkFromMessage(msg: Message): Link {
  const p = msg.payload;
  if (p.length < IFINFOMSG_LEN) throw new DecodeError(`ifinfomsg of ${p.length} bytes, needs 16`, msg.offset);
  const link: Link = {
    index: p.readInt32LE(4),
    name: '',
    type: p.readUInt16LE(2),
    flags: p.readUInt32LE(8),
    altnames: [],
    info: new Map(),
    slaveInfo: new Map(),
    attributes: new Map(),
  };
  forEachAttribute(p, IFINFOMSG_LEN, p.length, (type, vs, ve) => {
    const v = Buffer.from(p.subarray(vs, ve));
    link.attributes.set(type, v);
    switch (type) {
      case IFLA.IFNAME: link.name = getString(v); break;
      case IFLA.MTU: link.mtu = getU32(v); break;
      case IFLA.MIN_MTU: link.minMtu = getU32(v); break;
      case IFLA.MAX_MTU: link.maxMtu = getU32(v); break;
      case IFLA.QDISC: link.qdisc = getString(v); break;
      case IFLA.MASTER: link.master = getU32(v); break;
      case IFLA.OPERSTATE: link.operstate = getU8(v); break;
      case IFLA.LINKMODE: link.linkmode = getU8(v); break;
      case IFLA.GROUP: link.group = getU32(v); break;
      case IFLA.TXQLEN: link.txqlen = getU32(v); break;
      case IFLA.ADDRESS: link.address = getMac(v); break;
      case IFLA.BROADCAST: link.broadcast = getMac(v); break;
      case IFLA.PERM_ADDRESS: link.permAddress = getMac(v); break;
      case IFLA.LINK: link.link = getU32(v); break;
      case IFLA.LINK_NETNSID: link.linkNetnsid = v.readInt32LE(0); break;
      case IFLA.IFALIAS: link.alias = getString(v); break;
      case IFLA.PROMISCUITY: link.promiscuity = getU32(v); break;
      case IFLA.NUM_TX_QUEUES: link.numTxQueues = getU32(v); break;
      case IFLA.NUM_RX_QUEUES: link.numRxQueues = getU32(v); break;
      case IFLA.PROP_LIST:
        for (const a of parseNested(v)) if (a.type === IFLA.ALT_IFNAME) link.altnames.push(getString(a.value));
        break;
      case IFLA.LINKINFO:
        for (const a of parseNested(v)) {
          if (a.type === IFLA_INFO.KIND) link.kind = getString(a.value);
          else if (a.type === IFLA_INFO.SLAVE_KIND) link.slaveKind = getString(a.value);
          else if (a.type === IFLA_INFO.DATA) link.info = nestedMap(a.value);
          else if (a.type === IFLA_INFO.SLAVE_DATA) link.slaveInfo = nestedMap(a.value);
        }
        break;
    }
  });
  return link;
}
