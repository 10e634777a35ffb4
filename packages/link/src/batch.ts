// Many address, neighbour or link changes as one pipelined batch: every spec checked before
// anything is sent, every device name looked up once, a result per spec.
import { batch, type Plan, type Request, type SpecResult } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import { LinkNames } from './link-names.js';
import type { LinkRef } from './link.js';
import { addressRequest, type AddressSpec } from './addresses.js';
import { neighbourRequest, type NeighbourSpec } from './neighbours.js';
import { createLinkRequest, validateCreate, type CreateLinkOptions, type ResolvedIndexes } from './link-create.js';
import { deleteLinkRequest, resolveMaster, setLinkRequest, type LinkChanges } from './link-change.js';
import { validateLinkAttributes, withNetnsFds } from './link-attributes.js';

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

export function describeAddressChange(mode: AddressChange, s: AddressSpec): string {
  return `address ${mode} ${s.local} dev ${s.dev}`;
}

export function describeNeighbourChange(mode: NeighbourChange, s: NeighbourSpec): string {
  return `neighbour ${mode} ${s.dst} dev ${s.dev}`;
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
    const describe = (o: CreateLinkOptions): string => `link add ${o.name ?? ''} type ${o.kind}`.replace('  ', ' ');
    checkAll(change.specs, describe, validateCreate);
    const indexes: ResolvedIndexes[] = [];
    for (const o of change.specs) {
      const idx: ResolvedIndexes = {};
      idx.master = yield* resolveMaster(o, names);
      if (o.vxlan?.dev !== undefined) idx.vxlanDev = yield* names.index(o.vxlan.dev);
      if (o.link !== undefined) idx.link = yield* names.index(o.link);
      if (o.peer) idx.peerMaster = yield* resolveMaster(o.peer, names);
      indexes.push(idx);
    }
    const specs = change.specs;
    return yield* withNetnsFds(specs.flatMap((o) => [o, o.peer]), function* (fds) {
      specs.forEach((o, i) => requests.push({ ...createLinkRequest(o, indexes[i], fds), what: describe(o) }));
      return yield* sendAll(specs, requests);
    });
  }
  if (change.op === 'set') {
    checkAll(change.specs, (s) => `link set ${s.dev}`, (s) => validateLinkAttributes(s.changes));
    const resolved: Array<{ index: number; master: number | undefined }> = [];
    for (const s of change.specs) {
      const master = yield* resolveMaster(s.changes, names);
      resolved.push({ index: yield* names.index(s.dev), master });
    }
    const specs = change.specs;
    return yield* withNetnsFds(specs.map((s) => s.changes), function* (fds) {
      specs.forEach((s, i) => requests.push({
        ...setLinkRequest(resolved[i].index, s.changes, resolved[i].master, fds.get(s.changes)), what: `link set ${s.dev}`,
      }));
      return yield* sendAll(specs, requests);
    });
  }
  for (const dev of change.specs) requests.push({ ...deleteLinkRequest(yield* names.index(dev)), what: `link delete ${dev}` });
  return yield* sendAll(change.specs, requests);
}
