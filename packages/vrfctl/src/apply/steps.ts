// The changes apply can make, each with its undo. A step's run() makes the change and returns
// the undo for exactly what it did (captured while doing it), so a failed apply can put every
// completed step back, last first.
import { MessageBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NetlinkError } from '@vrfctl/netlink';
import { LinkNames, setLinkRequest as linkSetRequest } from '@vrfctl/link';
import { RTM, encodeRoute, withoutWire, type Address, type Link, type Route, type Rule } from '@vrfctl/rtnetlink';
import { routeChangeRequest, type RouteSpec } from '@vrfctl/route';
import { fixupRules, ruleRequest as ruleSpecRequest, type RuleSpec } from '@vrfctl/rule';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import {
  L3MDEV_PREF, addAddressRequest, addRouteRequest, createVrf, createVrfLinkRequest, deleteAddressRequest, deleteRouteRequest, deleteVrf,
  dumpAddresses, dumpLinks, dumpRoutes, dumpRules, enslave, l3mdevRule, ruleRequest, setLinkRequest, setVrfSysctls, unreachableDefaultRoute,
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
  kind: 'sysctl' | 'vrf' | 'port' | 'route' | 'rule';
  /** The plan line after the sign: "route default via 192.0.2.1 table 1000". */
  text: string;
  /** What the step does, for errors: "enslave eth0 to mgmt". */
  title: string;
  /** The VRF this step creates: the journal names it, so a killed run's half-built VRF stays apply's. */
  createsVrf?: string;
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

const hasL3mdevRule = (rules: readonly Rule[]): boolean => rules.some((r) => r.l3mdev && (r.priority ?? 0) === L3MDEV_PREF);

export function createVrfStep(v: DesiredVrf): Step {
  return {
    sign: '+', kind: 'vrf', title: `create vrf ${v.name} table ${v.table}`, createsVrf: v.name,
    text: `vrf ${v.name} table ${v.table}${v.loopback ? ' loopback' : ''}`,
    *run() {
      // The kernel adds the l3mdev rules with a namespace's first VRF: then they are this step's doing.
      const hadL3mdev = { 4: hasL3mdevRule(yield* dumpRules(4)), 6: hasL3mdevRule(yield* dumpRules(6)) };
      // The local-rule move is a step of its own (ruleFixupStep), undone on its own.
      const created = yield* createVrf(v.name, v.table, { loopback: v.loopback, defaultUnreachable: true, moveLocalRule: false });
      // Undo only what this step did: never "restore the rule list as it was", which would
      // delete rules others added meanwhile.
      const undo: Undo = function* () {
        yield* deleteVrf(v.name);
        for (const family of [4, 6] as const) {
          if (!hadL3mdev[family]) yield* ignoring([ENOENT], () => ack(ruleRequest(l3mdevRule(family), 'del')));
        }
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

/** Completes a VRF that exists with the right table but lacks what apply gives its VRFs (a killed run, or one made by hand). */
export function repairVrfStep(vrf: Link, table: number, missing: VrfGaps): Step {
  const name = linkName(vrf);
  const what = [
    ...(missing.marker ? ['marker'] : []), ...(missing.up ? ['up'] : []),
    ...missing.defaults.map((f) => `unreachable default${f === 6 ? ' (IPv6)' : ''}`),
    ...missing.loopback.map((f) => (f === 6 ? '::1/128' : '127.0.0.1/8')),
  ];
  return {
    sign: '~', kind: 'vrf', title: `complete vrf ${name}`, text: `vrf ${name} table ${table}: add ${what.join(', ')}`,
    *run() {
      const undo: Undo[] = [];
      if (missing.marker) {
        yield* ack(linkSetRequest(vrf.index, { alias: VRF_MARKER }));
        undo.push(() => ack(linkSetRequest(vrf.index, { alias: vrf.ifalias ?? '' })));
      }
      if (missing.up) {
        yield* ack(setLinkRequest({ index: vrf.index }, { up: true }));
        undo.push(() => ack(setLinkRequest({ index: vrf.index }, { up: false })));
      }
      for (const family of missing.defaults) {
        const route = unreachableDefaultRoute(family, table);
        yield* ack(addRouteRequest(route));
        undo.push(() => ack(deleteRouteRequest(route)));
      }
      for (const family of missing.loopback) {
        yield* ack(addAddressRequest(vrf.index, family, family === 6 ? '::1' : '127.0.0.1', family === 6 ? 128 : 8, 'host'));
        undo.push(() => ack(deleteAddressRequest(vrf.index, family, family === 6 ? '::1' : '127.0.0.1', family === 6 ? 128 : 8)));
      }
      return function* () {
        for (const u of undo.reverse()) yield* u();
      };
    },
  };
}

/** What a VRF apply manages lacks (see repairVrfStep). */
export interface VrfGaps {
  marker: boolean;
  up: boolean;
  defaults: Array<4 | 6>;
  loopback: Array<4 | 6>;
}

/** The local rule moved from pref 0 to 32765 and the l3mdev rules, as `vrfctl rule fixup`; undone step by step. */
export function ruleFixupStep(commands: readonly string[]): Step {
  return {
    sign: '~', kind: 'rule', title: 'rule fixup', text: `rules for VRFs: ${commands.join('; ')}`,
    *run() {
      const result = yield* fixupRules();
      return function* () {
        for (const s of [...result.steps].reverse()) {
          if (s.change === 'add') yield* ignoring([ENOENT], () => ack(ruleSpecRequest(s.spec, 'del')));
          else yield* ignoring([EEXIST], () => ack(ruleSpecRequest(s.spec, 'add')));
        }
      };
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
