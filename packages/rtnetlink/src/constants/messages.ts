// rtnetlink message types (linux/rtnetlink.h) and multicast groups.
import { EnumNames } from '../names.js';

export const RTM = {
  NEWLINK: 16, DELLINK: 17, GETLINK: 18, SETLINK: 19,
  NEWADDR: 20, DELADDR: 21, GETADDR: 22,
  NEWROUTE: 24, DELROUTE: 25, GETROUTE: 26,
  NEWNEIGH: 28, DELNEIGH: 29, GETNEIGH: 30,
  NEWRULE: 32, DELRULE: 33, GETRULE: 34,
  NEWQDISC: 36, DELQDISC: 37, GETQDISC: 38,
  NEWTCLASS: 40, DELTCLASS: 41, GETTCLASS: 42,
  NEWTFILTER: 44, DELTFILTER: 45, GETTFILTER: 46,
  NEWACTION: 48, DELACTION: 49, GETACTION: 50,
  NEWPREFIX: 52,
  GETMULTICAST: 58, GETANYCAST: 62,
  NEWNEIGHTBL: 64, GETNEIGHTBL: 66, SETNEIGHTBL: 67,
  NEWNDUSEROPT: 68,
  NEWADDRLABEL: 72, DELADDRLABEL: 73, GETADDRLABEL: 74,
  GETDCB: 78, SETDCB: 79,
  NEWNETCONF: 80, DELNETCONF: 81, GETNETCONF: 82,
  NEWMDB: 84, DELMDB: 85, GETMDB: 86,
  NEWNSID: 88, DELNSID: 89, GETNSID: 90,
  NEWSTATS: 92, GETSTATS: 94, SETSTATS: 95,
  NEWCACHEREPORT: 96,
  NEWCHAIN: 100, DELCHAIN: 101, GETCHAIN: 102,
  NEWNEXTHOP: 104, DELNEXTHOP: 105, GETNEXTHOP: 106,
  NEWLINKPROP: 108, DELLINKPROP: 109, GETLINKPROP: 110,
  NEWVLAN: 112, DELVLAN: 113, GETVLAN: 114,
  NEWNEXTHOPBUCKET: 116, DELNEXTHOPBUCKET: 117, GETNEXTHOPBUCKET: 118,
  NEWTUNNEL: 120, DELTUNNEL: 121, GETTUNNEL: 122,
} as const;

/** 'RTM_NEWROUTE' for 24. */
export const rtmNames = EnumNames.fromObject(RTM, 'RTM_');

/** The kind of request a message type is, which decides what nlmsg_flags bits 8–11 mean. */
export function rtmKind(type: number): 'new' | 'del' | 'get' | 'set' | 'other' {
  if (type < 16 || type > 123) return 'other';
  // Types come in blocks of four: NEW, DEL, GET, SET (SET only for links, neigh tables, stats, dcb).
  switch ((type - 16) & 3) {
    case 0: return 'new';
    case 1: return 'del';
    case 2: return 'get';
    default: return 'set';
  }
}

/** Multicast groups (enum rtnetlink_groups); join with NETLINK_ADD_MEMBERSHIP. */
export const RTNLGRP = {
  NONE: 0, LINK: 1, NOTIFY: 2, NEIGH: 3, TC: 4,
  IPV4_IFADDR: 5, IPV4_MROUTE: 6, IPV4_ROUTE: 7, IPV4_RULE: 8,
  IPV6_IFADDR: 9, IPV6_MROUTE: 10, IPV6_ROUTE: 11, IPV6_IFINFO: 12,
  DECnet_IFADDR: 13, NOP2: 14, DECnet_ROUTE: 15, DECnet_RULE: 16, NOP4: 17,
  IPV6_PREFIX: 18, IPV6_RULE: 19, ND_USEROPT: 20, PHONET_IFADDR: 21, PHONET_ROUTE: 22,
  DCB: 23, IPV4_NETCONF: 24, IPV6_NETCONF: 25, MDB: 26, MPLS_ROUTE: 27, NSID: 28,
  MPLS_NETCONF: 29, IPV4_MROUTE_R: 30, IPV6_MROUTE_R: 31, NEXTHOP: 32, BRVLAN: 33,
  MCTP_IFADDR: 34, TUNNEL: 35, STATS: 36,
} as const;

export const rtnlgrpNames = EnumNames.fromObject(RTNLGRP, 'RTNLGRP_');
