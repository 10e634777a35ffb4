// The changes apply can make, each with its undo. A step's run() makes the change and returns
// the undo for exactly what it did (captured while doing it), so a failed apply can put every
// completed step back, last first.
import { Errno, MessageBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, NetlinkError } from '@vrfctl/netlink';
import { LinkNames, addAddress, addressRequest, createLink, listAddresses, listLinks, setLink, type AddressSpec } from '@vrfctl/link';
import {
  RTM, RT_SCOPE, RT_TABLE, encodeNexthop, encodeRoute, nexthopEncap, withoutWire, type Address, type Link, type Nexthop, type Route, type Rule,
} from '@vrfctl/rtnetlink';
import { deleteByIdRequest, nexthopRequest, type NexthopSpec } from '@vrfctl/nexthop';
import { addRoute, deleteRoute, routeChangeRequest, routeSpecOf, type RouteSpec } from '@vrfctl/route';
import { fixupRules, ruleRequest as ruleSpecRequest, type RuleSpec } from '@vrfctl/rule';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import {
  L3MDEV_PREF, allRoutes, createVrf, deleteVrf, dumpRules, enslave, portKeepsakes, restoreKeepsakes, ruleRequest, setVrfSysctls, unreachableDefaultRoute,
} from '@vrfctl/vrf';
import { VRFCTL_PROTOCOL, VRF_MARKER, familyOf, linkName, protocolNumber } from './state.js';
import type { DesiredNexthop, DesiredRoute, DesiredRule, DesiredVrf } from './schema.js';

export type Undo = () => Plan<void>;

export interface StepContext {
  netns?: string;
  /** Warnings a step wants the user to see (e.g. a port that carried a default route). */
  note(message: string): void;
}

export interface Step {
  sign: '+' | '-' | '~';
  kind: 'sysctl' | 'vrf' | 'port' | 'nexthop' | 'route' | 'rule' | 'link' | 'addr' | 'file';
  /** The plan line after the sign: "route default via 192.0.2.1 table 1000". */
  text: string;
  /** What the step does, for errors: "enslave eth0 to mgmt". */
  title: string;
  /** The VRF this step creates: the journal names it, so a killed run's half-built VRF stays apply's. */
  createsVrf?: string;
  run(ctx: StepContext): Plan<Undo>;
}

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

type RouteWords = {
  dst: string; gateway?: string; dev?: string; type: string; metric: number; family: 4 | 6; table: number; prefsrc?: string; onlink?: boolean;
  nhid?: number;
};

export function routeText(r: RouteWords): string {
  const dst = ZERO.has(r.dst) ? (r.family === 6 ? 'default (IPv6)' : 'default') : r.dst;
  return [...(r.type !== 'unicast' ? [r.type] : []), dst, routeAttributes(r), ...(r.table !== RT_TABLE.main ? ['table', String(r.table)] : [])]
    .filter((w) => w !== '').join(' ');
}

/** What a route leads to: "via 192.0.2.1 dev eth0 metric 10" (type, destination and table left out). */
export function routeAttributes(r: RouteWords): string {
  const words: string[] = [];
  if (r.nhid !== undefined) words.push('nhid', String(r.nhid));
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
  if (r.nhId !== undefined) {
    // The kernel adds the object's resolved hops to the dump: the route itself has only the id.
    return {
      path: '', family, table: r.table, type: String(r.type) as DesiredRoute['type'], nhid: r.nhId,
      dst: r.dst ?? (family === 6 ? '::/0' : '0.0.0.0/0'), metric: r.priority ?? 0, onlink: false,
      ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
    };
  }
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
  words.push('lookup', r.table === RT_TABLE.main ? 'main' : String(r.table));
  return words.join(' ');
}

// ---- requests ----

/** What a removed or replaced route had, to put it back as it was. */
function restorable(r: Route): Route {
  const { cacheinfo: _c, expires: _e, ...rest } = withoutWire(r);
  if (r.nhId !== undefined) {
    // Only the id goes back: the kernel refuses hops next to a nexthop id.
    const { gateway: _g, oif: _i, multipath: _m, via: _v, ...own } = rest;
    return { ...own, flags: [], unknown: [] };
  }
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
    ...(r.metric ? { metric: r.metric } : {}), ...(r.onlink ? { onlink: true } : {}), ...(r.nhid !== undefined ? { nhid: r.nhid } : {}),
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
  const all = [...(yield* allRoutes(4)), ...(yield* allRoutes(6))];
  return all.filter((r) => r.table !== exceptTable && protocolNumber(r.protocol) !== 2 &&
    (r.oif === index || (r.multipath ?? []).some((h) => h.ifindex === index)));
}

function* restoreRoutes(routes: readonly Route[]): Plan<void> {
  for (const r of routes) yield* ignoring([Errno.EEXIST], () => ack(putRouteRequest(r, false)));
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
          if (!hadL3mdev[family]) yield* ignoring([Errno.ENOENT], () => ack(ruleSpecRequest({ family, l3mdev: true, priority: L3MDEV_PREF }, 'del')));
        }
      };
      try {
        yield* setLink(created.ifindex, { alias: VRF_MARKER });
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
        yield* setLink(vrf.index, { alias: VRF_MARKER });
        undo.push(() => setLink(vrf.index, { alias: vrf.ifalias ?? '' }));
      }
      if (missing.up) {
        yield* setLink(vrf.index, { up: true });
        undo.push(() => setLink(vrf.index, { up: false }));
      }
      for (const family of missing.defaults) {
        const route = unreachableDefaultRoute(family, table);
        yield* addRoute(route);
        undo.push(() => deleteRoute(route));
      }
      for (const family of missing.loopback) {
        const loopback: AddressSpec = { dev: vrf.index, local: family === 6 ? '::1/128' : '127.0.0.1/8', scope: RT_SCOPE.host };
        yield* addAddress(loopback);
        undo.push(() => ack(addressRequest('del', loopback, vrf.index)));
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
          if (s.change === 'add') yield* ignoring([Errno.ENOENT], () => ack(ruleSpecRequest(s.spec, 'del')));
          else yield* ignoring([Errno.EEXIST], () => ack(ruleSpecRequest(s.spec, 'add')));
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
      // IPv6 addresses and permanent neighbours: the move back drops them again.
      const kept = yield* portKeepsakes([port.index]);
      const result = yield* enslave(vrf, [name]);
      for (const w of result.warnings) ctx.note(w);
      return function* () {
        yield* setLink(port.index, { master: port.master ?? null });
        yield* restoreKeepsakes(kept);
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
      const kept = yield* portKeepsakes([port.index]);
      yield* setLink(port.index, { master: null });
      yield* restoreKeepsakes(kept);
      return function* () {
        yield* setLink(port.index, { master: port.master ?? null });
        yield* restoreKeepsakes(kept);
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
      yield* deleteRoute(routeSpecOf(current));
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
      const links = yield* listLinks();
      const ports = links.filter((l) => l.master === vrf.index);
      const addresses: Address[] = (yield* listAddresses()).filter((a) => a.index === vrf.index);
      const routes = [...(yield* allRoutes(4)), ...(yield* allRoutes(6))].filter((r) => r.table === table && protocolNumber(r.protocol) !== 2);
      const portRoutes: Route[] = [];
      for (const p of ports) portRoutes.push(...(yield* routesThrough(p.index, table)));
      // The ports leave with the VRF, cycled: what the kernel drops from them is put back both ways.
      const kept = yield* portKeepsakes(ports.map((p) => p.index));
      yield* deleteVrf(name);
      yield* restoreKeepsakes(kept);
      return function* () {
        yield* createLink({ name, kind: 'vrf', vrf: { table } });
        const again = (yield* listLinks()).find((l) => l.ifname === name);
        if (!again) throw new Error(`re-created VRF ${name} not found`);
        yield* setLink(again.index, { alias: vrf.ifalias ?? VRF_MARKER });
        if (vrf.flags.includes('UP')) yield* setLink(again.index, { up: true });
        for (const a of addresses) {
          if (a.local === undefined) continue;
          const spec = { dev: again.index, local: `${a.local}/${a.prefixlen}`, scope: a.scope === 'host' ? RT_SCOPE.host : RT_SCOPE.universe };
          yield* ignoring([Errno.EEXIST], () => addAddress(spec));
        }
        for (const p of ports) yield* setLink(p.index, { master: again.index });
        yield* restoreKeepsakes(kept);
        yield* restoreRoutes([...routes, ...portRoutes]);
      };
    },
  };
}

// ---- nexthop objects ----

/** "nexthop id 1 via 10.0.0.2 dev v0 onlink", "nexthop id 10 group 1,3/2 type resilient buckets 8". */
export function nexthopText(n: Omit<DesiredNexthop, 'path'>): string {
  const w = [`nexthop id ${n.id}`];
  if (n.group) w.push('group', n.group.map((m) => (m.weight > 1 ? `${m.id},${m.weight}` : String(m.id))).join('/'));
  if (n.type && n.type !== 'mpath') w.push('type', n.type);
  if (n.buckets !== undefined) w.push('buckets', String(n.buckets));
  if (n.idleTimer !== undefined) w.push('idle_timer', String(n.idleTimer));
  if (n.unbalancedTimer !== undefined) w.push('unbalanced_timer', String(n.unbalancedTimer));
  if (n.blackhole) w.push('blackhole');
  if (n.gateway) w.push('via', n.gateway);
  if (n.dev) w.push('dev', n.dev);
  if (n.onlink) w.push('onlink');
  if (n.fdb) w.push('fdb');
  return w.join(' ');
}

/** A kernel nexthop in the terms of the file, to print and compare. */
export function nexthopFacts(n: Nexthop, names: ReadonlyMap<number, string>): Omit<DesiredNexthop, 'path'> {
  const type = n.groupType === 'resilient' ? 'resilient' : n.group ? 'mpath' : undefined;
  return {
    id: n.id ?? 0, onlink: n.flags.includes('onlink'), blackhole: n.blackhole === true, fdb: n.fdb === true,
    ...(n.gateway ? { gateway: n.gateway } : {}), ...(n.oif ? { dev: names.get(n.oif) ?? `if${n.oif}` } : {}),
    ...(n.group ? { group: n.group.map((m) => ({ id: m.id, weight: m.weight })) } : {}), ...(type ? { type } : {}),
    ...(n.resilient?.buckets !== undefined ? { buckets: n.resilient.buckets } : {}),
    ...(n.resilient?.idleTimer !== undefined ? { idleTimer: n.resilient.idleTimer / 100 } : {}),
    ...(n.resilient?.unbalancedTimer !== undefined ? { unbalancedTimer: n.resilient.unbalancedTimer / 100 } : {}),
  };
}

function nexthopSpec(n: DesiredNexthop): NexthopSpec {
  const spec: NexthopSpec = { id: n.id, protocol: VRFCTL_PROTOCOL };
  if (n.group) spec.group = n.group;
  if (n.type) spec.groupType = n.type;
  if (n.type === 'resilient') {
    spec.resilient = {
      ...(n.buckets !== undefined ? { buckets: n.buckets } : {}), ...(n.idleTimer !== undefined ? { idleTimer: n.idleTimer } : {}),
      ...(n.unbalancedTimer !== undefined ? { unbalancedTimer: n.unbalancedTimer } : {}),
    };
  }
  if (n.gateway) spec.gateway = n.gateway;
  if (n.dev) spec.dev = n.dev;
  if (n.onlink) spec.onlink = true;
  if (n.blackhole) spec.blackhole = true;
  if (n.fdb) spec.fdb = true;
  return spec;
}

function* desiredNexthopRequest(op: 'add' | 'replace', n: DesiredNexthop): Plan<Request> {
  const spec = nexthopSpec(n);
  nexthopRequest(op, spec);
  const oif = n.dev === undefined ? undefined : yield* new LinkNames().index(n.dev);
  return nexthopRequest(op, spec, { oif });
}

/** A dumped nexthop sent back as it was (add, or replace): what the kernel accepts in a request. */
function putNexthopRequest(n: Nexthop, replace: boolean): Request {
  const encap = nexthopEncap(n);
  const model: Nexthop = {
    family: n.family, scope: 0, protocol: n.protocol, flags: n.flags.filter((f) => f === 'onlink'),
    unknown: encap ? [encap] : [],
    ...(n.id !== undefined ? { id: n.id } : {}), ...(n.group ? { group: n.group } : {}),
    ...(n.groupType !== undefined ? { groupType: n.groupType } : {}), ...(n.blackhole ? { blackhole: true } : {}),
    ...(n.fdb ? { fdb: true } : {}), ...(n.oif ? { oif: n.oif } : {}), ...(n.gateway ? { gateway: n.gateway } : {}),
    ...(encap && n.encapType !== undefined ? { encapType: n.encapType } : {}),
    ...(n.resilient ? {
      resilient: {
        unknown: [], ...(n.resilient.buckets !== undefined ? { buckets: n.resilient.buckets } : {}),
        ...(n.resilient.idleTimer !== undefined ? { idleTimer: n.resilient.idleTimer } : {}),
        ...(n.resilient.unbalancedTimer !== undefined ? { unbalancedTimer: n.resilient.unbalancedTimer } : {}),
      },
    } : {}),
  };
  return {
    type: RTM.NEWNEXTHOP,
    flags: NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL),
    encode: (b: MessageBuilder) => encodeNexthop(b, model),
  };
}

export function addNexthopStep(n: DesiredNexthop): Step {
  const text = nexthopText(n);
  return {
    sign: '+', kind: 'nexthop', title: `add ${text}`, text,
    *run() {
      yield* ack(yield* desiredNexthopRequest('add', n));
      return () => ack(deleteByIdRequest(n.id));
    },
  };
}

export function replaceNexthopStep(n: DesiredNexthop, current: Nexthop, was: string): Step {
  const text = nexthopText(n);
  return {
    sign: '~', kind: 'nexthop', title: `replace ${text}`, text: `${text} (now ${was})`,
    *run() {
      yield* ack(yield* desiredNexthopRequest('replace', n));
      return () => ack(putNexthopRequest(current, true));
    },
  };
}

export function deleteNexthopStep(current: Nexthop, text: string): Step {
  return {
    sign: '-', kind: 'nexthop', title: `delete ${text}`, text,
    *run() {
      yield* ack(deleteByIdRequest(current.id!));
      return () => ack(putNexthopRequest(current, false));
    },
  };
}
