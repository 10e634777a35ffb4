// Many address, neighbour or link changes as one pipelined batch: every spec checked before
// anything is sent, every device name looked up once, a result per spec.
import { batch, type Plan, type Request, type SpecResult } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import { LinkNames } from './link-names.js';
import type { LinkRef } from './link.js';
import { addressRequest, describeAddressChange, type AddressSpec } from './addresses.js';
import { describeNeighbourChange, neighbourRequest, type NeighbourSpec } from './neighbours.js';

export { describeAddressChange, describeNeighbourChange };
import {
  closeCreateNetns, createLinkRequest, describeCreate, openCreateNetns, resolveCreate, validateCreate, type CreateLinkOptions,
  type ResolvedIndexes,
} from './link-create.js';
import { deleteLinkRequest, describeSet, resolveMaster, setLinkRequest, validateLinkChanges, type LinkChanges } from './link-change.js';
import { closeNetns, openNetns, type ResolvedNetns } from './link-netns.js';

export type AddressChange = Parameters<typeof addressRequest>[0];
export type NeighbourChange = Parameters<typeof neighbourRequest>[0];

/** Runs check on every spec; the first failure is an ArgumentError naming the spec. */
function checkAll<S>(specs: readonly S[], describe: (s: S) => string, check: (s: S) => void): void {
  specs.forEach((spec, i) => {
    try {
      check(spec);
    } catch (err) {
      if (err instanceof ArgumentError) throw new ArgumentError(`spec ${i + 1} of ${specs.length} (${describe(spec)}): ${err.message}`);
      throw err;
    }
  });
}

function* sendAll<S>(specs: readonly S[], requests: Request[]): Plan<Array<SpecResult<S>>> {
  const answers = yield* batch(requests);
  return answers.map((a, i) => (a.ok ? { ok: true, spec: specs[i] } : { ok: false, spec: specs[i], error: a.error }));
}

/** `ip addr add|replace|change|del` for many addresses in one batch. */
export function* batchAddresses(mode: AddressChange, specs: readonly AddressSpec[], names = new LinkNames()): Plan<Array<SpecResult<AddressSpec>>> {
  checkAll(specs, (s) => describeAddressChange(mode, s), (s) => addressRequest(mode, s, 0));
  const requests: Request[] = [];
  for (const s of specs) requests.push({ ...addressRequest(mode, s, yield* names.index(s.dev)), what: describeAddressChange(mode, s) });
  return yield* sendAll(specs, requests);
}

/** `ip neigh add|change|replace|del` for many neighbours in one batch. */
export function* batchNeighbours(mode: NeighbourChange, specs: readonly NeighbourSpec[], names = new LinkNames()): Plan<Array<SpecResult<NeighbourSpec>>> {
  checkAll(specs, (s) => describeNeighbourChange(mode, s), (s) => neighbourRequest(mode, s, 0));
  const requests: Request[] = [];
  for (const s of specs) requests.push({ ...neighbourRequest(mode, s, yield* names.index(s.dev)), what: describeNeighbourChange(mode, s) });
  return yield* sendAll(specs, requests);
}

/** What a batch of link changes does to each link. */
export type LinkBatch =
  | { op: 'create'; specs: readonly CreateLinkOptions[] }
  | { op: 'set'; specs: ReadonlyArray<{ dev: LinkRef; changes: LinkChanges }> }
  | { op: 'delete'; specs: readonly LinkRef[] };

/**
 * `ip link add|set|del` for many links in one batch. Names (devices, masters, lower links) are
 * looked up once, before anything is sent, so they must name links that exist already.
 */
export function* batchLinks(change: LinkBatch, names = new LinkNames()): Plan<Array<SpecResult<LinkBatch['specs'][number]>>> {
  const requests: Request[] = [];
  if (change.op === 'create') {
    checkAll(change.specs, describeCreate, validateCreate);
    const resolved: ResolvedIndexes[] = [];
    for (const o of change.specs) resolved.push(yield* resolveCreate(o, names));
    // Namespaces are opened once every name resolved, and stay open until every answer is in.
    try {
      change.specs.forEach((o, i) => {
        openCreateNetns(o, resolved[i]);
        requests.push({ ...createLinkRequest(o, resolved[i]), what: describeCreate(o) });
      });
      return yield* sendAll(change.specs, requests);
    } finally {
      resolved.forEach(closeCreateNetns);
    }
  }
  if (change.op === 'set') {
    checkAll(change.specs, (s) => describeSet(s.dev, s.changes), (s) => validateLinkChanges(s.changes));
    const indexes: Array<{ master: number | undefined; index: number }> = [];
    for (const s of change.specs) {
      const master = yield* resolveMaster(s.changes, names);
      indexes.push({ master, index: yield* names.index(s.dev) });
    }
    const opened: Array<ResolvedNetns | undefined> = [];
    try {
      change.specs.forEach((s, i) => {
        const netns = s.changes.netns === undefined ? undefined : openNetns(s.changes.netns);
        opened.push(netns);
        requests.push({ ...setLinkRequest(indexes[i].index, s.changes, indexes[i].master, netns), what: describeSet(s.dev, s.changes) });
      });
      return yield* sendAll(change.specs, requests);
    } finally {
      opened.forEach(closeNetns);
    }
  }
  for (const dev of change.specs) requests.push({ ...deleteLinkRequest(yield* names.index(dev)), what: `link delete ${dev}` });
  return yield* sendAll(change.specs, requests);
}
