// Neighbours: list, add, change, replace, delete, flush (`ip neigh`). iproute2 writes NDA_DST
// then NDA_LLADDR after parsing, with the state and flags in the header.
import {
  AF_INET, AF_INET6, Errno, parseIP, type MessageBuilder,
} from '@vrfctl/netlink';
import { dump, type Plan, type Request } from '@vrfctl/socket';
import { NDA, NTF, NUD, RTM, decodeNeighbour, familyNames, nudNames, type Neighbour } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { writeNd } from './headers.js';
import type { LinkRef } from './link.js';
import { afOf, type IpVersion } from './addresses.js';
import { macBytes } from './link-attributes.js';
import { LinkNames } from './link-names.js';
import { MODE_FLAGS, changesOnLink, flushByResending, type FlushCandidate, type Mode, type OnLinkFilter } from './on-link.js';

/** NUD states by iproute2's keywords ("none" is 0). */
export const NUD_KEYWORDS = {
  permanent: NUD.PERMANENT, noarp: NUD.NOARP, reachable: NUD.REACHABLE, stale: NUD.STALE,
  none: 0, incomplete: NUD.INCOMPLETE, delay: NUD.DELAY, probe: NUD.PROBE, failed: NUD.FAILED,
} as const;
export type NudState = keyof typeof NUD_KEYWORDS;

export interface NeighbourSpec {
  dst: string;
  dev: LinkRef;
  /** Link-layer address; absent or null sends none. */
  lladdr?: string | null;
  /** Default permanent, as iproute2. */
  state?: NudState;
  router?: boolean;
  /** A proxy entry (NTF_PROXY): answers for dst on dev. */
  proxy?: boolean;
  externLearn?: boolean;
}


export function neighbourRequest(mode: Mode, spec: NeighbourSpec, index: number): Request {
  const dst = parseIP(spec.dst);
  if (!dst) throw new ArgumentError(`invalid neighbour address "${spec.dst}": not an IP address`);
  const state = spec.state === undefined ? NUD.PERMANENT : NUD_KEYWORDS[spec.state];
  if (state === undefined) throw new ArgumentError(`invalid nud state "${spec.state}"`);
  const lladdr = spec.lladdr != null && spec.lladdr !== 'null' ? macBytes(spec.lladdr, 'lladdr') : undefined;
  const flags = (spec.router ? NTF.router : 0) | (spec.proxy ? NTF.proxy : 0) | (spec.externLearn ? NTF.extern_learn : 0);
  return {
    type: mode === 'del' ? RTM.DELNEIGH : RTM.NEWNEIGH,
    flags: MODE_FLAGS[mode],
    encode: (b) => {
      writeNd(b, { family: dst.family, index, state, flags });
      b.binary(NDA.DST, dst.bytes);
      if (lladdr) b.binary(NDA.LLADDR, lladdr);
    },
  };
}

/** `neighbour add 10.0.0.2 dev eth0`: how errors name a neighbour change. */
export function describeNeighbourChange(mode: Mode, s: NeighbourSpec): string {
  return `neighbour ${mode} ${s.dst} dev ${s.dev}`;
}

const neighbourChange = changesOnLink(neighbourRequest, describeNeighbourChange);
export const addNeighbour = neighbourChange('add');
export const changeNeighbour = neighbourChange('change');
export const replaceNeighbour = neighbourChange('replace');
export const deleteNeighbour = neighbourChange('del');

/** Neighbours on dev, or on the ports of master (NDA_MASTER, e.g. a VRF), of one family. */
export interface NeighbourFilter extends OnLinkFilter {
  /** Proxy entries instead of the cache (as `ip neigh show proxy`). */
  proxy?: boolean;
}

/** RTM_GETNEIGH dump with NDA_IFINDEX / NDA_MASTER filters (applied by the kernel under strict checking). */
export function neighbourDumpRequest(f: { family?: number; index?: number; masterIndex?: number; proxy?: boolean }): Request {
  return {
    type: RTM.GETNEIGH,
    flags: 0,
    encode: (b: MessageBuilder) => {
      writeNd(b, { family: f.family ?? 0, index: 0, state: 0, flags: f.proxy ? NTF.proxy : 0 });
      if (f.index) b.u32(NDA.IFINDEX, f.index);
      if (f.masterIndex) b.u32(NDA.MASTER, f.masterIndex);
    },
  };
}

function* dumpNeighbours(filter: NeighbourFilter, names: LinkNames) {
  const index = filter.dev === undefined ? undefined : yield* names.index(filter.dev);
  const masterIndex = filter.master === undefined ? undefined : yield* names.index(filter.master);
  const af = afOf(filter.family);
  const msgs = yield* dump(neighbourDumpRequest({ family: af, index, masterIndex, proxy: filter.proxy }));
  return msgs.filter((m) => m.header.type === RTM.NEWNEIGH).map((m) => ({ message: m, neighbour: decodeNeighbour(m) }))
    .filter(({ neighbour: n }) => {
      if (af !== 0 && familyNames.value(n.family) !== af) return false;
      if (index !== undefined && n.index !== index) return false;
      if (masterIndex !== undefined && n.master !== undefined && n.master !== masterIndex) return false;
      return n.flags.includes('proxy') === Boolean(filter.proxy);
    });
}

export function* listNeighbours(filter: NeighbourFilter = {}, names = new LinkNames()): Plan<Neighbour[]> {
  return (yield* dumpNeighbours(filter, names)).map((x) => x.neighbour);
}

export interface NeighbourFlushFilter extends NeighbourFilter {
  /** NUD bits to flush; default everything but PERMANENT and NOARP, as iproute2. */
  states?: number;
}

/**
 * Like `ip neigh flush`: each matching dumped entry is sent back as RTM_DELNEIGH (iproute2's
 * way), repeated until nothing new matches. Returns how many entries were deleted.
 */
export function* flushNeighbours(filter: NeighbourFlushFilter, names = new LinkNames()): Plan<number> {
  const states = filter.states ?? (0xff & ~(NUD.PERMANENT | NUD.NOARP));
  function* matching(): Plan<FlushCandidate[]> {
    return (yield* dumpNeighbours(filter, names))
      .filter(({ neighbour: n }) => filter.proxy || (nudNames.value(n.state) & states) !== 0)
      .map(({ message, neighbour: n }) => ({ message, key: `${n.family}|${n.index}|${n.dst}` }));
  }
  return yield* flushByResending(matching, RTM.DELNEIGH, Errno.ENOENT);
}
