// `ip route SUBCOMMAND …` as a whole: which operation the words ask for (with iproute2's
// abbreviations of the subcommands) and the plan that carries it out. The CLI and `batch` use it.
import { ArgumentError } from '@vrfctl/iproute2';
import type { Plan } from '@vrfctl/socket';
import type { FlushResult, IpVersion, Route, RouteFilter, RouteQuery, RouteSpec } from './model.js';
import type { RouteChange } from './encode.js';
import { parseRouteFilter, parseRouteQuery, parseRouteSpec } from './parse.js';
import { flushRoutes, getRoute, listRoutes, modifyRoute } from './plans.js';

export type RouteCommand =
  | { kind: 'change'; op: RouteChange; spec: RouteSpec }
  | { kind: 'list'; filter: RouteFilter }
  | { kind: 'flush'; filter: RouteFilter }
  | { kind: 'get'; query: RouteQuery };

function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

/** The operation for `ip [-4|-6] route WORDS…` (no words: list). */
export function parseRouteCommand(words: readonly string[], opts: { family?: IpVersion } = {}): RouteCommand {
  const [sub, ...rest] = words;
  if (sub === undefined) return { kind: 'list', filter: parseRouteFilter([], opts) };
  const change = (op: RouteChange): RouteCommand => ({ kind: 'change', op, spec: parseRouteSpec(rest, opts) });
  // Tried in do_iproute's order, so that abbreviations resolve the same way ("a" is add).
  if (matches(sub, 'add')) return change('add');
  if (matches(sub, 'change') || sub === 'chg') return change('change');
  if (matches(sub, 'replace')) return change('replace');
  if (matches(sub, 'prepend')) return change('prepend');
  if (matches(sub, 'append')) return change('append');
  if (matches(sub, 'test')) return change('test');
  if (matches(sub, 'delete')) return change('delete');
  if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return { kind: 'list', filter: parseRouteFilter(rest, opts) };
  if (matches(sub, 'get')) return { kind: 'get', query: parseRouteQuery(rest, opts) };
  if (matches(sub, 'flush')) {
    if (rest.length === 0) throw new ArgumentError('"route flush" needs a selector (e.g. "table 100", "dev eth0")');
    return { kind: 'flush', filter: parseRouteFilter(rest, opts) };
  }
  throw new ArgumentError(`unknown route command "${sub}": show, add, replace, append, prepend, change, del, get or flush`);
}

export type RouteCommandResult =
  | { kind: 'change' }
  | { kind: 'list'; routes: Route[] }
  | { kind: 'flush'; result: FlushResult }
  | { kind: 'get'; route: Route };

/** The plan for a parsed command. */
export function* routeCommandPlan(cmd: RouteCommand): Plan<RouteCommandResult> {
  switch (cmd.kind) {
    case 'change':
      yield* modifyRoute(cmd.op, cmd.spec);
      return { kind: 'change' };
    case 'list':
      return { kind: 'list', routes: yield* listRoutes(cmd.filter) };
    case 'flush':
      return { kind: 'flush', result: yield* flushRoutes(cmd.filter) };
    case 'get':
      return { kind: 'get', route: yield* getRoute(cmd.query) };
  }
}
