// The changes apply can make, each with its undo. A step's run() makes the change and returns
// the undo for exactly what it did (captured while doing it), so a failed apply can put every
// completed step back, last first.
import { MessageBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NetlinkError } from '@vrfctl/netlink';
import { LinkNames, setLinkRequest as linkSetRequest } from '@vrfctl/link';
import { RTM, encodeRoute, withoutWire, type Address, type Link, type Route, type Rule } from '@vrfctl/rtnetlink';
import { routeChangeRequest, type RouteSpec } from '@vrfctl/route';
import { ruleRequest as ruleSpecRequest, type RuleSpec } from '@vrfctl/rule';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import {
  addAddressRequest, createVrf, createVrfLinkRequest, deleteLinkRequest, deleteRouteRequest, deleteVrf, dumpAddresses, dumpLinks,
  dumpRoutes, dumpRules, enslave, ruleRequest, setLinkRequest, setVrfSysctls,
} from '@vrfctl/vrf';
import { VRFCTL_PROTOCOL, VRF_MARKER, familyOf, linkName, protocolNumber } from './state.js';
import type { DesiredRoute, DesiredRule, DesiredVrf } from './schema.js';

export type Undo = () => Plan<void>;

export interface StepContext {
  netns?: string;
  /** Warnings a step wants the user to see (e.g. a port that carried a default route). */
  note(message: string): void;
}

export interface Step {
  sign: '+' | '-' | '~';
  kind: 'sysctl' | 'vrf' | 'port' | 'route' | 'rule' | 'link' | 'addr' | 'file';
  /** The plan line after the sign: "route default via 192.0.2.1 table 1000". */
  text: string;
  /** What the step does, for errors: "enslave eth0 to mgmt". */
  title: string;
  run(ctx: StepContext): Plan<Undo>;
}

const EEXIST = 17;
const ENOENT = 2;
const RT_TABLE_MAIN = 254;
const ZERO = new Set(['0.0.0.0/0', '::/0']);

function ignoring(errnos: readonly number[], plan: () => Plan<void>): Plan<void> {
  return (function* () {
    try {
      yield* plan();
    } catch (err) {
      if (!(err instanceof NetlinkError && errnos.includes(err.errno))) throw err;
    }
  })();
}

// ---- text ----

type RouteWords = { dst: string; gateway?: string; dev?: string; type: string; metric: number; family: 4 | 6; table: number; prefsrc?: string; onlink?: boolean };

export function routeText(r: RouteWords): string {
  const dst = ZERO.has(r.dst) ? (r.family === 6 ? 'default (IPv6)' : 'default') : r.dst;
  return [...(r.type !== 'unicast' ? [r.type] : []), dst, routeAttributes(r), ...(r.table !== RT_TABLE_MAIN ? ['table', String(r.table)] : [])]
    .filter((w) => w !== '').join(' ');
}

/** What a route leads to: "via 192.0.2.1 dev eth0 metric 10" (type, destination and table left out). */
export function routeAttributes(r: RouteWords): string {
  const words: string[] = [];
  if (r.gateway) words.push('via', r.gateway);
  if (r.dev) words.push('dev', r.dev);
  if (r.prefsrc) words.push('src', r.prefsrc);
  if (r.onlink) words.push('onlink');
  if (r.metric !== (r.family === 6 ? 1024 : 0)) words.push('metric', String(r.metric));
  return words.join(' ');
}

/** A kernel route in the terms of the file, to print and compare. */
export function routeFacts(r: Route, names: ReadonlyMap<number, string>): DesiredRoute {
  const family = familyOf(r.family);
  return {
    path: '', family, table: r.table, type: String(r.type) as DesiredRoute['type'],
    dst: r.dst ?? (family === 6 ? '::/0' : '0.0.0.0/0'), metric: r.priority ?? 0, onlink: r.flags.includes('onlink'),
    ...(r.gateway ? { gateway: r.gateway } : {}),
    ...(r.oif !== undefined ? { dev: names.get(r.oif) ?? `if${r.oif}` } : {}),
    ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
  };
}

export function ruleText(r: { family: 4 | 6; priority?: number; src?: string; dst?: string; iif?: string; oif?: string; fwmark?: number; table: number }): string {
  const words = [`priority ${r.priority ?? 0}`];
  if (r.family === 6) words.push('-6');
  if (r.src) words.push('from', r.src);
  if (r.dst) words.push('to', r.dst);
  if (r.iif) words.push('iif', r.iif);
  if (r.oif) words.push('oif', r.oif);
  if (r.fwmark) words.push('fwmark', String(r.fwmark));
  words.push('lookup', r.table === RT_TABLE_MAIN ? 'main' : String(r.table));
  return words.join(' ');
}

// ---- requests ----

/** What a removed or replaced route had, to put it back as it was. */
function restorable(r: Route): Route {
  const { cacheinfo: _c, expires: _e, ...rest } = withoutWire(r);
  return { ...rest, flags: r.flags.filter((f) => f === 'onlink'), unknown: [] };
}

function putRouteRequest(r: Route, replace: boolean): Request {
  const route = restorable(r);
  return {
    type: RTM.NEWROUTE,
    flags: NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL),
    encode: (b: MessageBuilder) => encodeRoute(b, route),
  };
}

function* desiredRouteRequest(op: 'add' | 'replace' | 'delete', r: DesiredRoute): Plan<Request> {
  const spec: RouteSpec = {
    dst: ZERO.has(r.dst) ? 'default' : r.dst, family: r.family, type: r.type, protocol: VRFCTL_PROTOCOL,
    ...(r.gateway ? { gateway: r.gateway } : {}), ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
    ...(r.metric ? { metric: r.metric } : {}), ...(r.onlink ? { onlink: true } : {}),
  };
  const oif = r.dev === undefined ? undefined : yield* new LinkNames().index(r.dev);
  return routeChangeRequest(op, spec, { table: r.table, hopIndexes: [], ...(oif !== undefined ? { oif } : {}) });
}

function desiredRuleSpec(r: DesiredRule): RuleSpec {
  return {
    family: r.family, priority: r.priority,
    ...(r.src ? { src: r.src } : {}), ...(r.dst ? { dst: r.dst } : {}), ...(r.iif ? { iif: r.iif } : {}), ...(r.oif ? { oif: r.oif } : {}),
    ...(r.fwmark ? { fwmark: r.fwmark } : {}), table: r.table, protocol: VRFCTL_PROTOCOL,
  };
}

/** Routes through a port outside the given table that the kernel drops when the port changes master. */
function* routesThrough(index: number, exceptTable: number | undefined): Plan<Route[]> {
  const all = [...(yield* dumpRoutes(4)), ...(yield* dumpRoutes(6))];
  return all.filter((r) => r.table !== exceptTable && protocolNumber(r.protocol) !== 2 &&
    (r.oif === index || (r.multipath ?? []).some((h) => h.ifindex === index)));
}

function* restoreRoutes(routes: readonly Route[]): Plan<void> {
  for (const r of routes) yield* ignoring([EEXIST], () => ack(putRouteRequest(r, false)));
}

/** A listed rule to add back: priority 0 (the kernel leaves it out of dumps) must be sent, or the kernel picks one. */
function readdRequest(r: Rule): Request {
  return ruleRequest({ ...r, priority: r.priority ?? 0 }, 'add');
}

/** Puts the rules of both families back to a snapshot: removes added ones, re-adds removed ones. */
function* restoreRules(before: readonly Rule[]): Plan<void> {
  const key = (r: Rule): string => JSON.stringify({ ...r, unknown: undefined, order: undefined }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  const now = [...(yield* dumpRules(4)), ...(yield* dumpRules(6))];
  const had = new Set(before.map(key));
  const has = new Set(now.map(key));
  for (const r of now) if (!had.has(key(r))) yield* ignoring([ENOENT], () => ack(ruleRequest(r, 'del')));
  for (const r of before) if (!has.has(key(r))) yield* ignoring([EEXIST], () => ack(readdRequest(r)));
}

// ---- steps ----

export function sysctlStep(key: string, value: number, previous: number | undefined): Step {
  return {
    sign: '~', kind: 'sysctl', title: `set ${key} = ${value}`,
    text: `sysctl ${key} = ${value}${previous === undefined ? '' : ` (now ${previous})`}`,
    *run(ctx) {
      const [change] = setVrfSysctls([{ key, value }], { netns: ctx.netns });
      return function* () {
        setVrfSysctls([{ key, value: change.previous }], { netns: ctx.netns });
      };
    },
  };
}

export function createVrfStep(v: DesiredVrf): Step {
  return {
    sign: '+', kind: 'vrf', title: `create vrf ${v.name} table ${v.table}`,
    text: `vrf ${v.name} table ${v.table}${v.loopback ? ' loopback' : ''}`,
    *run() {
      const rulesBefore = [...(yield* dumpRules(4)), ...(yield* dumpRules(6))];
      const created = yield* createVrf(v.name, v.table, { loopback: v.loopback, defaultUnreachable: true, moveLocalRule: true });
      const undo: Undo = function* () {
        yield* deleteVrf(v.name);
        // The l3mdev and local rules createVrf (or the kernel, for the first VRF) changed.
        yield* restoreRules(rulesBefore);
      };
      try {
        yield* ack(linkSetRequest(created.ifindex, { alias: VRF_MARKER }));
      } catch (err) {
        yield* undo();
        throw err;
      }
      return undo;
    },
  };
}

export function enslaveStep(port: Link, vrf: string, vrfTable: number, previousMaster: string | undefined): Step {
  const name = linkName(port);
  return {
    sign: '~', kind: 'port', title: `enslave ${name} to ${vrf}`,
    text: `port ${name} master ${vrf}${previousMaster ? ` (now ${previousMaster})` : ''}`,
    *run(ctx) {
      const before = yield* routesThrough(port.index, vrfTable);
      const result = yield* enslave(vrf, [name]);
      for (const w of result.warnings) ctx.note(w);
      return function* () {
        yield* ack(setLinkRequest({ index: port.index }, { master: port.master ?? 0 }));
        yield* restoreRoutes(before);
      };
    },
  };
}

export function releaseStep(port: Link, vrf: string): Step {
  const name = linkName(port);
  return {
    sign: '-', kind: 'port', title: `release ${name} from ${vrf}`, text: `port ${name} master ${vrf}`,
    *run() {
      const before = yield* routesThrough(port.index, undefined);
      yield* ack(setLinkRequest({ index: port.index }, { master: 0 }));
      return function* () {
        yield* ack(setLinkRequest({ index: port.index }, { master: port.master ?? 0 }));
        yield* restoreRoutes(before);
      };
    },
  };
}

export function addRouteStep(r: DesiredRoute): Step {
  const text = routeText(r);
  return {
    sign: '+', kind: 'route', title: `add route ${text}`, text: `route ${text}`,
    *run() {
      const req = yield* desiredRouteRequest('add', r);
      yield* ack(req);
      return function* () {
        yield* ack(yield* desiredRouteRequest('delete', r));
      };
    },
  };
}

export function replaceRouteStep(r: DesiredRoute, current: Route, was: string): Step {
  const text = routeText(r);
  return {
    sign: '~', kind: 'route', title: `replace route ${text}`, text: `route ${text} (now ${was})`,
    *run() {
      yield* ack(yield* desiredRouteRequest('replace', r));
      return () => ack(putRouteRequest(current, true));
    },
  };
}

export function deleteRouteStep(current: Route, text: string): Step {
  return {
    sign: '-', kind: 'route', title: `delete route ${text}`, text: `route ${text}`,
    *run() {
      yield* ack(deleteRouteRequest(current));
      return () => ack(putRouteRequest(current, false));
    },
  };
}

export function addRuleStep(r: DesiredRule): Step {
  const text = ruleText(r);
  return {
    sign: '+', kind: 'rule', title: `add rule ${text}`, text: `rule ${text}`,
    *run() {
      const spec = desiredRuleSpec(r);
      yield* ack(ruleSpecRequest(spec, 'add'));
      return () => ack(ruleSpecRequest(spec, 'del'));
    },
  };
}

export function deleteRuleStep(current: Rule, text: string): Step {
  return {
    sign: '-', kind: 'rule', title: `delete rule ${text}`, text: `rule ${text}`,
    *run() {
      yield* ack(ruleRequest(current, 'del'));
      return () => ack(readdRequest(current));
    },
  };
}

/** Deletes a VRF apply made; the undo re-creates it with its ports, addresses and routes. */
export function deleteVrfStep(vrf: Link, table: number): Step {
  const name = linkName(vrf);
  return {
    sign: '-', kind: 'vrf', title: `delete vrf ${name}`, text: `vrf ${name} table ${table}`,
    *run() {
      const links = yield* dumpLinks();
      const ports = links.filter((l) => l.master === vrf.index);
      const addresses: Address[] = (yield* dumpAddresses()).filter((a) => a.index === vrf.index);
      const routes = [...(yield* dumpRoutes(4)), ...(yield* dumpRoutes(6))].filter((r) => r.table === table && protocolNumber(r.protocol) !== 2);
      const portRoutes: Route[] = [];
      for (const p of ports) portRoutes.push(...(yield* routesThrough(p.index, table)));
      yield* deleteVrf(name);
      return function* () {
        yield* ack(createVrfLinkRequest(name, table));
        const again = (yield* dumpLinks()).find((l) => l.ifname === name);
        if (!again) throw new Error(`re-created VRF ${name} not found`);
        yield* ack(linkSetRequest(again.index, { alias: vrf.ifalias ?? VRF_MARKER }));
        if (vrf.flags.includes('UP')) yield* ack(setLinkRequest({ index: again.index }, { up: true }));
        for (const a of addresses) {
          if (a.local === undefined) continue;
          yield* ignoring([EEXIST], () => ack(addAddressRequest(again.index, familyOf(a.family), a.local!, a.prefixlen, a.scope === 'host' ? 'host' : 'global')));
        }
        for (const p of ports) yield* ack(setLinkRequest({ index: p.index }, { master: again.index }));
        yield* restoreRoutes([...routes, ...portRoutes]);
      };
    },
  };
}
