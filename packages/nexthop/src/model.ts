// What callers hand to the nexthop operations. Field names follow `ip nexthop` keywords; values
// are text or numbers as a person would type them, resolved (device names, protocols) by the plans.
import type { Nexthop, NexthopBucket } from '@vrfctl/rtnetlink';

export type { Nexthop, NexthopBucket, NexthopGroupMember } from '@vrfctl/rtnetlink';

import type { IpVersion } from '@vrfctl/iproute2';
export type { IpVersion };

/** A lightweight tunnel on a nexthop (`encap ip …`, `encap mpls …`). */
export type NexthopEncapSpec =
  | { type: 'ip'; id?: bigint | number; src?: string; dst?: string; ttl?: number; tos?: number; order?: Array<'id' | 'src' | 'dst' | 'ttl' | 'tos'> }
  | { type: 'mpls'; labels: number[]; ttl?: number };

/** The keywords of `ip nexthop add`, in the order they put attributes on the wire. */
export type NexthopWord = 'id' | 'group' | 'type' | 'encap' | 'via' | 'dev' | 'blackhole' | 'fdb';

/**
 * A nexthop object or group to add, replace or delete, e.g. `{ id: 1, gateway: '10.0.0.2', dev: 'eth0' }`
 * or `{ id: 10, group: [{ id: 1, weight: 3 }, { id: 2 }] }`.
 */
export interface NexthopSpec {
  /** 1…2³²−1; the kernel picks one when absent (add only). */
  id?: number;
  /** 4 or 6 (`ip -4|-6`); else from the gateway, else IPv4 for a device or a blackhole. */
  family?: IpVersion;
  gateway?: string;
  dev?: string | number;
  onlink?: boolean;
  blackhole?: boolean;
  /** A nexthop for VXLAN FDB entries (or a group of them). */
  fdb?: boolean;
  /** Members by id, weight 1…256 (default 1). */
  group?: Array<{ id: number; weight?: number }>;
  groupType?: 'mpath' | 'resilient';
  /** Resilient group parameters: timers in seconds, as ip takes them. */
  resilient?: { buckets?: number; idleTimer?: number; unbalancedTimer?: number; order?: Array<'buckets' | 'idleTimer' | 'unbalancedTimer'> };
  /** Name from rt_protos or a number (FRR's zebra is 11, bgp 186…). */
  protocol?: string | number;
  encap?: NexthopEncapSpec;
  /** Order of the keywords as typed (dry runs match ip byte for byte); else `id group type encap via dev blackhole fdb`. */
  order?: NexthopWord[];
}

/** Which nexthops `list` and `flush` select (`ip nexthop show SELECTOR`). */
export interface NexthopFilter {
  family?: IpVersion;
  /** One nexthop (list: a get; flush: one delete). */
  id?: number;
  /** Nexthops out of this device. */
  dev?: string | number;
  /** Nexthops whose device is enslaved to this one. */
  master?: string | number;
  /** Like master, and the device must be a VRF. */
  vrf?: string;
  /** Groups only. */
  groups?: boolean;
  /** FDB nexthops only. */
  fdb?: boolean;
  /** Only this protocol (filtered here, as ip does). */
  protocol?: string | number;
}

/** Which buckets `bucket list` selects (`ip nexthop bucket show`). */
export interface BucketFilter {
  family?: IpVersion;
  /** The resilient group. */
  id?: number;
  /** Buckets that point at this nexthop. */
  nhid?: number;
  dev?: string | number;
  master?: string | number;
  vrf?: string;
}

export interface NexthopFlushResult {
  deleted: Nexthop[];
  failed: Array<{ nexthop: Nexthop; error: Error }>;
}

export type NexthopChange = 'add' | 'replace' | 'delete';
