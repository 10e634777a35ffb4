// What `addr` and `neigh` (objects that live on links) share: the -4/-6 family, the
// add/replace/change/del verbs, and flush under a VRF or master device.
import { LinkNames } from '@vrfctl/link';
import type { Plan } from '@vrfctl/socket';
import type { GlobalOptions } from './context.js';
import { vrfMaster } from './link-show.js';
import { withSession } from './session.js';

export function familyNumber(opts: GlobalOptions): 2 | 10 | undefined {
  return opts.family === 4 ? 2 : opts.family === 6 ? 10 : undefined;
}

export type ChangeVerb = 'add' | 'replace' | 'change' | 'del';

/** `add|replace|change|del|delete SPEC`: the verb's plan, run in one session. */
export function runChange<S>(verb: string, spec: S, opts: GlobalOptions, plans: Record<ChangeVerb, (spec: S) => Plan<unknown>>): number {
  const plan = plans[verb === 'delete' ? 'del' : (verb as ChangeVerb)];
  return withSession(opts, (s) => (s.run(plan(spec)), 0));
}

/** flush with `vrf NAME` resolved to that VRF as the master device first. */
export function flushUnder(
  opts: GlobalOptions,
  where: { vrf?: string; master?: string },
  flush: (master: string | undefined, names: LinkNames) => Plan<unknown>,
): number {
  return withSession(opts, (s) => {
    s.run((function* () {
      const names = new LinkNames();
      const master = where.vrf !== undefined ? yield* vrfMaster(where.vrf, names) : where.master;
      return yield* flush(master, names);
    })());
    return 0;
  });
}
