// What each batch line is: a change that can be pipelined (route, rule, link and addr changes,
// checked now with the same parsers and encoders the single commands use) or a command that
// runs on its own, in order (shows, flushes, VRF commands…).
import {
  addAddress, addressRequest, changeAddress, createLink, deleteAddress, deleteLink, replaceAddress, setLink,
  validateInterfaceName, validateLinkAttributes, type LinkNames,
} from '@vrfctl/link';
import { parseRouteCommand, parseTable, routeChangeRequest, type Resolved, type RouteChange, type RouteSpec } from '@vrfctl/route';
import { parseRuleArgs, ruleRequest } from '@vrfctl/rule';
import { ack, type Plan } from '@vrfctl/socket';
import { UsageError } from './errors.js';
import type { GlobalOptions } from './context.js';
import { parseAddressSpec } from './addr-args.js';
import { parseLinkAdd, parseLinkDel, parseLinkSet } from './link-args.js';
import type { BatchLine } from './batch-input.js';

/** Lookups shared by every line of a batch, so a name costs one round trip per batch. */
export interface BatchNames {
  names: LinkNames;
  vrfTable(name: string): Plan<number>;
}

export interface PipelinedLine extends BatchLine {
  kind: 'pipelined';
  /** Resolves names and ends in exactly one ack(request): the change to send. */
  plan(ctx: BatchNames): Plan<void>;
  /** Link changes may create, delete or rename devices later lines name. */
  changesNames: boolean;
}

export interface SequentialLine extends BatchLine {
  kind: 'sequential';
  command: string;
  args: string[];
}

export type ParsedLine = PipelinedLine | SequentialLine;

type Runner = (args: string[], opts: GlobalOptions) => Promise<number | void> | number | void;

/** Commands that may run inside a batch, one at a time. Not batch (no nesting), monitor (never ends) or exec (replaces the process). */
export const SEQUENTIAL: Readonly<Record<string, () => Promise<{ run: Runner }>>> = {
  route: () => import('./commands/route.js'),
  rule: () => import('./commands/rule.js'),
  link: () => import('./commands/link.js'),
  addr: () => import('./commands/addr.js'),
  neigh: () => import('./commands/neigh.js'),
  list: () => import('./commands/list.js'),
  show: () => import('./commands/show.js'),
  add: () => import('./commands/add.js'),
  del: () => import('./commands/del.js'),
  enslave: () => import('./commands/enslave.js'),
  release: () => import('./commands/release.js'),
  sysctl: () => import('./commands/sysctl.js'),
  identify: () => import('./commands/identify.js'),
  pids: () => import('./commands/pids.js'),
  apply: () => import('./commands/apply.js'),
  diff: () => import('./commands/diff.js'),
};

/** The route plan of `vrfctl route add …`, with name lookups through the batch's caches. */
function* routePlan(op: RouteChange, spec: RouteSpec, ctx: BatchNames): Plan<void> {
  const resolved: Resolved = { hopIndexes: [] };
  if (spec.vrf !== undefined) resolved.table = yield* ctx.vrfTable(spec.vrf);
  else if (spec.table !== undefined) resolved.table = typeof spec.table === 'number' ? spec.table : parseTable(spec.table);
  for (const hop of spec.nexthops ?? []) resolved.hopIndexes.push(hop.dev === undefined ? 0 : yield* ctx.names.index(hop.dev));
  if (spec.dev !== undefined) resolved.oif = yield* ctx.names.index(spec.dev);
  yield* ack(routeChangeRequest(op, spec, resolved));
}

/** A device or VRF name a line gives: checked now, as the command alone would before sending. */
function checkName(name: string | number | undefined, what: string): void {
  if (typeof name === 'string') validateInterfaceName(name, what);
}

function routeLine(l: BatchLine, opts: GlobalOptions): ParsedLine {
  const cmd = parseRouteCommand(l.words.slice(1), { family: opts.family });
  if (cmd.kind !== 'change') return { ...l, kind: 'sequential', command: 'route', args: l.words.slice(1) };
  const { op, spec } = cmd;
  checkName(spec.dev, 'device name');
  checkName(spec.vrf, 'VRF name');
  for (const hop of spec.nexthops ?? []) checkName(hop.dev, 'device name');
  routeChangeRequest(op, spec, { hopIndexes: [] });
  if (spec.table !== undefined && typeof spec.table === 'string') parseTable(spec.table);
  return { ...l, kind: 'pipelined', changesNames: false, plan: (ctx) => routePlan(op, spec, ctx) };
}

function ruleLine(l: BatchLine, opts: GlobalOptions): ParsedLine {
  const [sub = '', ...rest] = l.words.slice(1);
  const isAdd = sub.length > 0 && 'add'.startsWith(sub);
  const isDel = sub.length > 0 && 'delete'.startsWith(sub);
  if (!isAdd && !isDel) return { ...l, kind: 'sequential', command: 'rule', args: l.words.slice(1) };
  const kind = isAdd ? 'add' : 'del';
  if (rest.length === 0) throw new UsageError(`"rule ${kind}" requires arguments`);
  const spec = parseRuleArgs(rest, opts.family);
  checkName(spec.iif, 'iif name');
  checkName(spec.oif, 'oif name');
  const req = ruleRequest(spec, kind);
  return { ...l, kind: 'pipelined', changesNames: false, plan: () => ack(req) };
}

const ADDRESS_PLANS = { add: addAddress, replace: replaceAddress, change: changeAddress, del: deleteAddress, delete: deleteAddress } as const;

function addrLine(l: BatchLine, opts: GlobalOptions): ParsedLine {
  const [sub = '', ...rest] = l.words.slice(1);
  const make = ADDRESS_PLANS[sub as keyof typeof ADDRESS_PLANS];
  if (!make) return { ...l, kind: 'sequential', command: 'addr', args: l.words.slice(1) };
  const spec = parseAddressSpec(rest, opts.family);
  checkName(typeof spec.dev === 'string' ? spec.dev : undefined, 'device name');
  addressRequest(sub === 'delete' ? 'del' : (sub as 'add' | 'replace' | 'change' | 'del'), spec, 0);
  return { ...l, kind: 'pipelined', changesNames: false, plan: (ctx) => make(spec, ctx.names) };
}

/** Runs a plan up to its first step: its argument checks happen there, before any lookup. */
function checkArguments(plan: Plan<void>): void {
  plan.next();
  plan.return();
}

function linkLine(l: BatchLine): ParsedLine {
  const [sub = '', ...rest] = l.words.slice(1);
  switch (sub) {
    case 'add': {
      const o = parseLinkAdd(rest);
      checkArguments(createLink(o));
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => createLink(o, ctx.names) };
    }
    case 'set': case 'change': {
      const { dev, changes } = parseLinkSet(rest);
      checkName(typeof dev === 'string' ? dev : undefined, 'device name');
      validateLinkAttributes(changes);
      if (changes.name !== undefined) validateInterfaceName(changes.name, 'name');
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => setLink(dev, changes, ctx.names) };
    }
    case 'del': case 'delete': {
      const dev = parseLinkDel(rest);
      checkName(typeof dev === 'string' ? dev : undefined, 'device name');
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => deleteLink(dev, ctx.names) };
    }
    default:
      return { ...l, kind: 'sequential', command: 'link', args: l.words.slice(1) };
  }
}

/** Classifies and checks one line; ArgumentError/UsageError for bad input. */
export function parseBatchLine(l: BatchLine, opts: GlobalOptions): ParsedLine {
  const [command] = l.words;
  switch (command) {
    case 'route': return routeLine(l, opts);
    case 'rule': return ruleLine(l, opts);
    case 'addr': return addrLine(l, opts);
    case 'link': return linkLine(l);
  }
  if (['batch', 'monitor', 'exec', 'completion', 'nl'].includes(command)) throw new UsageError(`"${command}" cannot run inside a batch`);
  if (!Object.hasOwn(SEQUENTIAL, command)) throw new UsageError(`unknown command "${command}"`);
  return { ...l, kind: 'sequential', command, args: l.words.slice(1) };
}
