// Nexthop operations written once as plans: run them with runSync (CLI) or runAsync (agents), or
// through nexthops()/nexthopsAsync() in api.ts.
import { AF_INET, AF_INET6, NetlinkError, type Message } from '@vrfctl/netlink';
import { RTM, decodeNexthop, decodeNexthopBucket, type Nexthop, type NexthopBucket } from '@vrfctl/rtnetlink';
import { ack, batch, dump, request, type BatchResult, type Plan, type Request, type SpecResult } from '@vrfctl/socket';
import { ArgumentError, linkIndex, vrfLink } from '@vrfctl/iproute2';
import type { BucketFilter, NexthopChange, NexthopFilter, NexthopFlushResult, NexthopSpec } from './model.js';
import {
  bucketDumpRequest, bucketGetRequest, deleteByIdRequest, describeNexthopChange, familyNumber, nexthopDumpRequest, nexthopGetRequest, nexthopRequest,
  protocolNumber, type DumpSelector,
} from './encode.js';

/** Looks up the spec's device and returns the request: everything is checked before the lookup. */
export function* nexthopChangeRequest(op: NexthopChange, spec: NexthopSpec): Plan<Request> {
  nexthopRequest(op, spec);
  const oif = spec.dev === undefined ? undefined : yield* linkIndex(spec.dev);
  return nexthopRequest(op, spec, { oif });
}

/** Resolves names and sends one change. */
export function* modifyNexthop(op: NexthopChange, spec: NexthopSpec): Plan<void> {
  yield* ack(yield* nexthopChangeRequest(op, spec));
}

/** `ip nexthop add`: EEXIST when the id is taken. */
export function* addNexthop(spec: NexthopSpec): Plan<void> {
  yield* modifyNexthop('add', spec);
}
/** `ip nexthop replace`: creates or overwrites; routes using the id follow at once. */
export function* replaceNexthop(spec: NexthopSpec): Plan<void> {
  yield* modifyNexthop('replace', spec);
}
/** `ip nexthop del id N`: ENOENT when there is none. Routes using it go with it. */
export function* deleteNexthop(spec: NexthopSpec | number): Plan<void> {
  yield* modifyNexthop('delete', typeof spec === 'number' ? { id: spec } : spec);
}

/** The filter's devices looked up: the kernel-side selectors, and what is filtered here. */
export function* resolveNexthopFilter(f: NexthopFilter | BucketFilter): Plan<DumpSelector> {
  const s: DumpSelector = {};
  if (f.family !== undefined) s.family = f.family;
  // Check the protocol before any lookup.
  if ('protocol' in f && f.protocol !== undefined) protocolNumber(f.protocol);
  if (f.dev !== undefined) s.oif = yield* linkIndex(f.dev);
  if (f.master !== undefined) s.master = yield* linkIndex(f.master);
  if (f.vrf !== undefined) s.master = (yield* vrfLink(f.vrf)).index;
  if ('groups' in f && f.groups) s.groups = true;
  if ('fdb' in f && f.fdb) s.fdb = true;
  return s;
}

/**
 * The selectors the kernel does not apply: protocol (ip filters it too), and fdb: the kernel
 * accepts NHA_FDB in a dump request but its nh_dump_filtered never looks at it (so `ip nexthop
 * show fdb` lists every nexthop); here it selects what it says.
 */
export function nexthopSelected(n: Nexthop, f: NexthopFilter): boolean {
  if (f.protocol !== undefined && protocolNumber(n.protocol as string | number) !== protocolNumber(f.protocol)) return false;
  if (f.fdb && !n.fdb) return false;
  return true;
}

function decodeAll(msgs: readonly Message[], f: NexthopFilter): Nexthop[] {
  return msgs.filter((m) => m.header.type === RTM.NEWNEXTHOP).map(decodeNexthop).filter((n) => nexthopSelected(n, f));
}

/** One nexthop by id (`ip nexthop get id N`): ENOENT when there is none. */
export function* getNexthop(id: number, family?: 4 | 6): Plan<Nexthop> {
  const replies = yield* request(nexthopGetRequest(id, family));
  const msg = replies.find((m) => m.header.type === RTM.NEWNEXTHOP);
  if (!msg) throw new Error(`the kernel answered the lookup of nexthop ${id} without a nexthop`);
  return decodeNexthop(msg);
}

/** Nexthops matching the filter, in the kernel's order (`ip nexthop show`); with `id`, that one. */
export function* listNexthops(filter: NexthopFilter = {}): Plan<Nexthop[]> {
  if (filter.id !== undefined) {
    const n = yield* getNexthop(filter.id, filter.family);
    return nexthopSelected(n, filter) ? [n] : [];
  }
  const s = yield* resolveNexthopFilter(filter);
  return decodeAll(yield* dump(nexthopDumpRequest(s)), filter);
}

/**
 * `ip nexthop flush [SELECTOR]`: deletes what the selector lists, one RTM_DELNEXTHOP per id,
 * pipelined. With no selector, groups go first (so that no group is left to shrink as its
 * members go), then everything else; with `id`, that one only. Nexthops already gone (ENOENT:
 * a group the kernel removed with its last member) count as neither deleted nor failed.
 */
export function* flushNexthops(filter: NexthopFilter = {}): Plan<NexthopFlushResult> {
  const result: NexthopFlushResult = { deleted: [], failed: [] };
  const record = (chosen: Nexthop[], answers: BatchResult[]) => {
    answers.forEach((a, i) => {
      if (a.ok) result.deleted.push(chosen[i]);
      else if (!(a.error instanceof NetlinkError && a.error.code === 'ENOENT')) result.failed.push({ nexthop: chosen[i], error: a.error });
    });
  };
  if (filter.id !== undefined) {
    const id = filter.id;
    try {
      yield* ack(deleteByIdRequest(id));
    } catch (err) {
      result.failed.push({ nexthop: { family: 'unspec', scope: 0, protocol: 0, flags: [], id, unknown: [] }, error: err as Error });
      return result;
    }
    result.deleted.push({ family: 'unspec', scope: 0, protocol: 0, flags: [], id, unknown: [] });
    return result;
  }
  const s = yield* resolveNexthopFilter(filter);
  const all = s.oif === undefined && s.master === undefined && !s.groups && !s.fdb && filter.protocol === undefined && s.family === undefined;
  const passes: DumpSelector[] = all ? [{ ...s, groups: true }, s] : [s];
  const sent = new Set<number>();
  for (const pass of passes) {
    const chosen = decodeAll(yield* dump(nexthopDumpRequest(pass)), filter).filter((n) => n.id !== undefined && !sent.has(n.id));
    if (chosen.length === 0) continue;
    for (const n of chosen) sent.add(n.id!);
    record(chosen, yield* batch(chosen.map((n) => deleteByIdRequest(n.id!))));
  }
  return result;
}

/** Buckets of resilient groups (`ip nexthop bucket show`). */
export function* listBuckets(filter: BucketFilter = {}): Plan<NexthopBucket[]> {
  const s = yield* resolveNexthopFilter(filter);
  const msgs = yield* dump(bucketDumpRequest({ ...s, id: filter.id, nhid: filter.nhid }));
  return msgs.filter((m) => m.header.type === RTM.NEWNEXTHOPBUCKET).map(decodeNexthopBucket);
}

/** One bucket (`ip nexthop bucket get id N index I`). */
export function* getBucket(id: number, index: number, family?: 4 | 6): Plan<NexthopBucket> {
  const replies = yield* request(bucketGetRequest(id, index, family));
  const msg = replies.find((m) => m.header.type === RTM.NEWNEXTHOPBUCKET);
  if (!msg) throw new Error(`the kernel answered the lookup of bucket ${index} of group ${id} without a bucket`);
  return decodeNexthopBucket(msg);
}

/** One change of a batch. */
export interface NexthopBatchItem {
  op: NexthopChange;
  spec: NexthopSpec;
}

/**
 * Many changes pipelined (one round trip per chunk the socket sends): every spec is checked and
 * its device looked up first, then the requests go out in order. Members before the groups that
 * use them, as the kernel requires. The answers are per item, in order.
 */
export function* batchNexthops(items: readonly NexthopBatchItem[]): Plan<Array<SpecResult<NexthopBatchItem>>> {
  items.forEach((it, i) => {
    try {
      nexthopRequest(it.op, it.spec);
    } catch (err) {
      if (err instanceof ArgumentError) throw new ArgumentError(`spec ${i + 1} of ${items.length} (${describeNexthopChange(it.op, it.spec)}): ${err.message}`);
      throw err;
    }
  });
  const cache = new Map<string | number, number>();
  const reqs: Request[] = [];
  for (const it of items) {
    let oif: number | undefined;
    if (it.spec.dev !== undefined) {
      oif = cache.get(it.spec.dev);
      if (oif === undefined) {
        oif = yield* linkIndex(it.spec.dev);
        cache.set(it.spec.dev, oif);
      }
    }
    reqs.push(nexthopRequest(it.op, it.spec, { oif }));
  }
  const answers = yield* batch(reqs);
  return answers.map((a, i) => (a.ok ? { ok: true, spec: items[i] } : { ok: false, spec: items[i], error: a.error }));
}

/** The family of a nexthop as 4/6 (undefined for groups and other AF_UNSPEC ones). */
export function nexthopFamily(n: Nexthop): 4 | 6 | undefined {
  const f = n.family === 'inet' || n.family === AF_INET ? 4 : n.family === 'inet6' || n.family === AF_INET6 ? 6 : undefined;
  return f;
}

export { familyNumber };
