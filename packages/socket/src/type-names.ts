// Message types by name for error messages (`RTM_NEWROUTE request: …`, not `type 24`). The
// socket is protocol-neutral, but these names are kernel ABI (linux/netlink.h, rtnetlink.h).
import { NETLINK_ROUTE } from '@vrfctl/netlink';

const NLMSG = ['', 'NLMSG_NOOP', 'NLMSG_ERROR', 'NLMSG_DONE', 'NLMSG_OVERRUN'];

// From RTM_BASE (16), four per object: NEW, DEL, GET, SET.
const RTM_OBJECTS = [
  'LINK', 'ADDR', 'ROUTE', 'NEIGH', 'RULE', 'QDISC', 'TCLASS', 'TFILTER', 'ACTION', 'PREFIX',
  'MULTICAST', 'ANYCAST', 'NEIGHTBL', 'NDUSEROPT', 'ADDRLABEL', 'DCB', 'NETCONF', 'MDB',
  'NSID', 'STATS', 'CACHEREPORT', 'CHAIN', 'NEXTHOP', 'LINKPROP', 'VLAN', 'NEXTHOPBUCKET', 'TUNNEL',
];
const VERBS = ['NEW', 'DEL', 'GET', 'SET'];

/** `RTM_NEWROUTE` for NETLINK_ROUTE type 24; `type 24` when the name is not known. */
export function messageTypeName(protocol: number, type: number): string {
  if (type < NLMSG.length && type > 0) return NLMSG[type];
  if (protocol === NETLINK_ROUTE && type >= 16) {
    const object = RTM_OBJECTS[(type - 16) >> 2];
    if (object) return `RTM_${VERBS[type & 3]}${object}`;
  }
  return `type ${type}`;
}
