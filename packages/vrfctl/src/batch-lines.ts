// What each batch line is: a change that can be pipelined (route, rule, nexthop, link and addr changes,
// checked now with the same parsers and encoders the single commands use) or a command that
// runs on its own, in order (shows, flushes, VRF commands…).
import { validateInterfaceName } from '@vrfctl/iproute2';
import { addAddress, addressRequest, changeAddress, createLink, deleteAddress, deleteLink, replaceAddress, setLink, validateLinkAttributes, type LinkNames } from '@vrfctl/link';
import { parseTable } from '@vrfctl/iproute2';
import { SIMPLE_OIF_LEN, checkRouteSpec, parseRouteCommand, routeChangeRequest, writeSimpleRouteChange, type Resolved, type SimpleRouteChange, type RouteChange, type RouteSpec } from '@vrfctl/route';
import { parseRuleArgs, ruleRequest } from '@vrfctl/rule';
import { nexthopRequest, parseNexthopCommand, type NexthopChange, type NexthopSpec } from '@vrfctl/nexthop';
import { NLMSG_HDRLEN, MessageBuilder } from '@vrfctl/netlink';
import { ack, encodeRequest, type Plan, type Request } from '@vrfctl/socket';
import { UsageError } from './errors.js';
import { vrfMaster } from './link-show.js';
import { IP_VERB_WORDS, fromIpSpelling } from './ip-argv.js';
import type { GlobalOptions } from './context.js';
import { parseAddressSpec } from '@vrfctl/link';
import { parseLinkAdd, parseLinkDel, parseLinkSet } from '@vrfctl/link';
import { addBridgeVlan, deleteBridgeVlan, parseBridgeVlanCommand } from '@vrfctl/link';
import type { BatchLine } from './batch-input.js';
import { CompactLine, PayloadRequest, keepPayload } from './batch-compact.js';

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
  /**
   * The request itself when the line names nothing the kernel must resolve (no device, no VRF):
   * built once while checking, queued as it is (a 100k-route batch skips a plan per line).
   */
  request?: Request;
  /** The request, when every name it needs is in the batch's cache already (no plan to run); else undefined. */
  resolve?(names: LinkNames): Request | undefined;
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
  nexthop: () => import('./commands/nexthop.js'),
  link: () => import('./commands/link.js'),
  addr: () => import('./commands/addr.js'),
  neigh: () => import('./commands/neigh.js'),
  bridge: () => import('./commands/bridge.js'),
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

const scratch = new MessageBuilder(512);

/**
 * A line whose request needs no lookup, reduced to its payload bytes: a batch holds every line
 * until it runs, and 100k parsed specs with their word arrays cost more in garbage collection
 * than parsing them did (measured with --cpu-prof on the nexthop benchmark).
 */
function frozenLine(l: BatchLine, checked: Request): PipelinedLine {
  const bytes = encodeRequest(checked, scratch);
  const payload = keepPayload(bytes.subarray(NLMSG_HDRLEN), bytes.length - NLMSG_HDRLEN);
  return new CompactLine(l, new PayloadRequest(checked.type, checked.flags, payload));
}

/** Checks a route line of the common shape (writeSimpleRouteChange), its payload left in scratch; undefined for any other. */
function simpleRouteChange(l: BatchLine, opts: GlobalOptions): SimpleRouteChange | undefined {
  scratch.reset();
  const change = writeSimpleRouteChange(scratch, l.words, 1, opts.family);
  if (change !== undefined) checkName(change.dev, 'device name');
  return change;
}

/** A route line of the common shape, checked and encoded without a spec; undefined for any other. */
function simpleRouteLine(l: BatchLine, opts: GlobalOptions): ParsedLine | undefined {
  const change = simpleRouteChange(l, opts);
  if (change === undefined) return undefined;
  const payload = keepPayload(scratch.raw, scratch.length, change.dev === undefined ? 0 : SIMPLE_OIF_LEN);
  return new CompactLine(l, new PayloadRequest(change.type, change.flags, payload), change.dev);
}

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

function routeLine(l: BatchLine, opts: GlobalOptions, checked: boolean): ParsedLine {
  const simple = simpleRouteLine(l, opts);
  if (simple !== undefined) return simple;
  const cmd = parseRouteCommand(l.words.slice(1), { family: opts.family });
  if (cmd.kind !== 'change') return { ...l, kind: 'sequential', command: 'route', args: l.words.slice(1) };
  const { op, spec } = cmd;
  checkName(spec.dev, 'device name');
  checkName(spec.vrf, 'VRF name');
  for (const hop of spec.nexthops ?? []) checkName(hop.dev, 'device name');
  const needsLookup = spec.vrf !== undefined || spec.dev !== undefined || (spec.nexthops ?? []).some((h) => h.dev !== undefined);
  // Building the request checks the spec: a line without names is built (and checked) once
  // below; one with names is checked here in the first pass, and its plan builds it again.
  if (needsLookup && !checked) checkRouteSpec(op, spec);
  const table = spec.table === undefined ? undefined : typeof spec.table === 'number' ? spec.table : parseTable(spec.table);
  if (!needsLookup) {
    return frozenLine(l, routeChangeRequest(op, spec, { hopIndexes: (spec.nexthops ?? []).map(() => 0), ...(table !== undefined ? { table } : {}) }));
  }
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

/** The nexthop change of `vrfctl nexthop add …`, its device looked up through the batch's cache. */
function* nexthopPlan(op: NexthopChange, spec: NexthopSpec, ctx: BatchNames): Plan<void> {
  const oif = spec.dev === undefined ? undefined : yield* ctx.names.index(spec.dev);
  yield* ack(nexthopRequest(op, spec, { oif }));
}

function nexthopLine(l: BatchLine, opts: GlobalOptions): ParsedLine {
  const cmd = parseNexthopCommand(l.words.slice(1), { family: opts.family });
  if (cmd.kind !== 'change') return { ...l, kind: 'sequential', command: 'nexthop', args: l.words.slice(1) };
  const { op, spec } = cmd;
  const checked = nexthopRequest(op, spec);
  if (spec.dev === undefined) return frozenLine(l, checked);
  return { ...l, kind: 'pipelined', changesNames: false, plan: (ctx) => nexthopPlan(op, spec, ctx) };
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

/**
 * A link created in or moved to another netns by name: the netns fd the request carries must
 * stay open until the kernel answered, so the line runs on its own instead of being queued.
 */
function sequentialLink(l: BatchLine): ParsedLine {
  return { ...l, kind: 'sequential', command: 'link', args: l.words.slice(1) };
}

function linkLine(l: BatchLine): ParsedLine {
  const [sub = '', ...rest] = l.words.slice(1);
  switch (sub) {
    case 'add': {
      const o = parseLinkAdd(rest);
      checkArguments(createLink(o));
      if (o.netns !== undefined || o.peer?.netns !== undefined) return sequentialLink(l);
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => createLink(o, ctx.names) };
    }
    case 'set': case 'change': {
      const { dev, changes, vrf } = parseLinkSet(rest);
      checkName(typeof dev === 'string' ? dev : undefined, 'device name');
      validateLinkAttributes(changes);
      if (changes.name !== undefined) validateInterfaceName(changes.name, 'name');
      if (changes.netns !== undefined) return sequentialLink(l);
      const plan = function* (names: LinkNames): Plan<void> {
        if (vrf !== undefined) yield* vrfMaster(vrf, names);
        yield* setLink(dev, changes, names);
      };
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => plan(ctx.names) };
    }
    case 'del': case 'delete': {
      const dev = parseLinkDel(rest);
      checkName(typeof dev === 'string' ? dev : undefined, 'device name');
      return { ...l, kind: 'pipelined', changesNames: true, plan: (ctx) => deleteLink(dev, ctx.names) };
    }
    default:
      return sequentialLink(l);
  }
}

/** `bridge vlan add|del …` is pipelined like a link change; `bridge vlan show` runs on its own. */
function bridgeLine(l: BatchLine): ParsedLine {
  const [object = '', ...rest] = l.words.slice(1);
  if (object.length === 0 || !'vlan'.startsWith(object) || rest[0] === 'help') return { ...l, kind: 'sequential', command: 'bridge', args: l.words.slice(1) };
  const cmd = parseBridgeVlanCommand(rest);
  if (cmd.kind !== 'change') return { ...l, kind: 'sequential', command: 'bridge', args: l.words.slice(1) };
  const { op, spec } = cmd;
  checkName(spec.dev, 'device name');
  const plan = op === 'add' ? addBridgeVlan : deleteBridgeVlan;
  return { ...l, kind: 'pipelined', changesNames: false, plan: (ctx) => plan(spec, ctx.names) };
}

/** Classifies and checks one line; ArgumentError/UsageError for bad input. */
/** Every command name a batch line may start with exactly (anything else may be ip's abbreviation). */
const LINE_COMMANDS = new Set(['route', 'rule', 'nexthop', 'addr', 'link', 'batch', 'monitor', 'exec', 'completion', 'nl', ...Object.keys(SEQUENTIAL)]);

/** `r a 10.0.0.0/24 dev v0` in an ip -batch file is `route add …`: objects and verbs as ip takes them. */
function ourSpelling(line: BatchLine): BatchLine {
  const exact = LINE_COMMANDS.has(line.words[0] ?? '') && IP_VERB_WORDS.has(line.words[1] ?? '');
  return exact || line.words.length === 0 || line.words[0].startsWith('-') ? line : { ...line, words: fromIpSpelling(line.words, LINE_COMMANDS) };
}

/** A route line of the common shape, checked and encoded: its payload is bytes[0, length) until the next line is parsed. */
export interface SimpleRoute {
  type: number;
  flags: number;
  dev?: string;
  bytes: Uint8Array;
  length: number;
}

/** The line as a SimpleRoute (checked as parseBatchLine checks it); undefined for any other line. */
export function parseSimpleRoute(line: BatchLine, opts: GlobalOptions): SimpleRoute | undefined {
  const l = ourSpelling(line);
  if (l.words[0] !== 'route') return undefined;
  const change = simpleRouteChange(l, opts);
  if (change === undefined) return undefined;
  return { type: change.type, flags: change.flags, dev: change.dev, bytes: scratch.raw, length: scratch.length };
}

/**
 * Checks a line as parseBatchLine does and keeps nothing: the first pass over a batch file of
 * any length (a route line of the common shape allocates no line, request or payload copy).
 */
export function checkBatchLine(line: BatchLine, opts: GlobalOptions): void {
  if (parseSimpleRoute(line, opts) === undefined) parseBatchLine(line, opts);
}

/**
 * checked: the line was checked already (the batch's second pass reads the file again): checks
 * that the plan repeats anyway are skipped.
 */
export function parseBatchLine(line: BatchLine, opts: GlobalOptions, checked = false): ParsedLine {
  const l = ourSpelling(line);
  const [command] = l.words;
  switch (command) {
    case 'route': return routeLine(l, opts, checked);
    case 'rule': return ruleLine(l, opts);
    case 'nexthop': return nexthopLine(l, opts);
    case 'addr': return addrLine(l, opts);
    case 'link': return linkLine(l);
    case 'bridge': return bridgeLine(l);
  }
  if (['batch', 'monitor', 'exec', 'completion', 'nl'].includes(command)) throw new UsageError(`"${command}" cannot run inside a batch`);
  if (!Object.hasOwn(SEQUENTIAL, command)) throw new UsageError(`unknown command "${command}"`);
  return { ...l, kind: 'sequential', command, args: l.words.slice(1) };
}
