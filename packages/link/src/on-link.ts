// What addresses and neighbours (objects that live on a link) share: the four change modes and
// their plans (a change names its device, checked before the lookup), the link keys of their
// filters, and flush (dumped entries sent back as deletes until none is left).
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, type Message } from '@vrfctl/netlink';
import { ack, batch, type Plan, type Request } from '@vrfctl/socket';
import type { IpVersion } from '@vrfctl/iproute2';
import type { LinkRef } from './link.js';
import { LinkNames } from './link-names.js';

/** The changes `ip addr` and `ip neigh` make, and their request flags. */
export type Mode = 'add' | 'replace' | 'change' | 'del';
export const MODE_FLAGS: Record<Mode, number> = {
  add: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
  replace: NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
  change: NLM_F_ACK | NLM_F_REPLACE,
  del: NLM_F_ACK,
};

/** Builds the request once with index 0 (bad input fails before any round trip), then for the device. */
export function* changeOnLink(request: (index: number) => Request, dev: LinkRef, names: LinkNames): Plan<void> {
  request(0);
  const index = yield* names.index(dev);
  yield* ack(request(index));
}

/** Which objects on links a list or flush takes. */
export interface OnLinkFilter {
  dev?: LinkRef;
  /** Objects on the ports of this master (a bridge or VRF). */
  master?: LinkRef;
  /** 4 or 6, as in the route and rule specs. */
  family?: IpVersion;
}

/**
 * The plans of one change for an object on a link: `changesOnLink(addressRequest, describeAddressChange)('add')`
 * is addAddress. The request is named by describe in errors.
 */
export function changesOnLink<S extends { dev: LinkRef }>(
  requestFor: (mode: Mode, spec: S, index: number) => Request,
  describe: (mode: Mode, spec: S) => string,
): (mode: Mode) => (spec: S, names?: LinkNames) => Plan<void> {
  return (mode) => (spec, names = new LinkNames()) =>
    changeOnLink((index) => ({ ...requestFor(mode, spec, index), what: describe(mode, spec) }), spec.dev, names);
}

/** A dumped entry to flush: its message, sent back to delete it, and what identifies it across dumps. */
export interface FlushCandidate {
  message: Message;
  key: string;
}

const MAX_FLUSH_ROUNDS = 10;

/**
 * iproute2's flush: each matching dumped entry is sent back with deleteType (so every attribute
 * identifies it exactly), repeated until a dump shows nothing new. An error `gone` (already
 * deleted, e.g. with its primary) counts as done. Returns how many entries were deleted.
 */
export function* flushByResending(dumpMatching: () => Plan<FlushCandidate[]>, deleteType: number, gone: number): Plan<number> {
  const tried = new Set<string>();
  let deleted = 0;
  for (let round = 0; round < MAX_FLUSH_ROUNDS; round++) {
    const victims = (yield* dumpMatching()).filter((c) => !tried.has(c.key));
    if (victims.length === 0) break;
    for (const v of victims) tried.add(v.key);
    const payloads = victims.map((v) => Buffer.from(v.message.payload));
    const results = yield* batch(payloads.map((p) => ({ type: deleteType, flags: 0, encode: (b) => { b.data(p); } })));
    for (const r of results) {
      if (r.ok) deleted++;
      else if (r.error.errno !== gone) throw r.error;
    }
  }
  return deleted;
}
