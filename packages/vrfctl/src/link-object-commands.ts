// What `addr` and `neigh` (objects that live on links) share: the -4/-6 family, the
// add/replace/change/del verbs, and flush under a VRF or master device.
import { LinkNames } from '@vrfctl/link';
import { writeLine } from './context.js';
import { UsageError, asUsage } from './errors.js';
import type { Plan } from '@vrfctl/socket';
import type { GlobalOptions } from './context.js';
import { vrfMaster } from './link-show.js';
import { withSession } from './session.js';

/** -4/-6 as the library's specs take it. */
export function familyOption(opts: GlobalOptions): 4 | 6 | undefined {
  return opts.family;
}

export type ChangeVerb = 'add' | 'replace' | 'change' | 'del';

/** The verbs add, replace, change, del and delete: parse the spec, run the verb's plan in one session. */
export function changeVerbs<S>(parse: (args: string[], opts: GlobalOptions) => S, plans: Record<ChangeVerb, (spec: S) => Plan<unknown>>): ObjectCommand['verbs'] {
  const verbs: ObjectCommand['verbs'] = {};
  for (const verb of ['add', 'replace', 'change', 'del', 'delete']) verbs[verb] = (args, opts) => runChange(verb, parse(args, opts), opts, plans);
  return verbs;
}

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

/** A `link|addr|neigh` command: show (the default), its verbs, and the usage text for `help`. */
export interface ObjectCommand {
  object: string;
  show(args: string[], opts: GlobalOptions): number;
  /** The other verbs (aliases listed as their own keys). */
  verbs: Record<string, (args: string[], opts: GlobalOptions) => number>;
  /** The verbs as named in the error for an unknown one: "show, add, del or flush". */
  known: string;
  usage: string;
}

/** Runs `OBJECT VERB ARGS…`: the library's argument errors are usage errors. */
export function runObjectCommand(c: ObjectCommand, args: string[], opts: GlobalOptions): number {
  return asUsage(() => {
    const [sub = 'show', ...rest] = args;
    if (sub === 'show' || sub === 'list' || sub === 'ls' || sub === 'lst') return c.show(rest, opts);
    const verb = Object.hasOwn(c.verbs, sub) ? c.verbs[sub] : undefined;
    if (verb) return verb(rest, opts);
    if (sub !== 'help') throw new UsageError(`unknown ${c.object} command "${sub}": ${c.known}`);
    writeLine(c.usage);
    return 0;
  });
}
