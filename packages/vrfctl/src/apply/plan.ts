// From the file and the kernel's state to an ordered list of steps. Additions come before
// removals, so nothing the file wants is ever missing in between: a route moving from main
// into a VRF is added in the VRF's table before --prune removes it from main. Order:
//   sysctls that exist → VRFs → ports → nexthops (members, then groups) → routes (add/replace) →
//   rules → sysctls that appear with the first VRF (net.vrf.*) → pruned rules → pruned routes →
//   pruned nexthops (groups, then members) → released ports → pruned VRFs.
// Nexthop objects are kept by id: apply adds and replaces only ids that are free or carry its
// protocol (240), and prunes only its own, never one a route of another protocol still uses.
import type { Link, Nexthop, Route, Rule } from '@vrfctl/rtnetlink';
import { fixupSteps } from '@vrfctl/rule';
import { VRF_DEFAULT_METRIC } from '@vrfctl/vrf';
import { vrfTableOf } from '@vrfctl/route';
import { routeIdentity, type Desired, type DesiredNexthop, type DesiredRoute, type DesiredRule, type DesiredVrf } from './schema.js';
import { VRFCTL_PROTOCOL, VRF_MARKER, familyOf, linkName, protocolNumber, type Current } from './state.js';
import {
  addNexthopStep, deleteNexthopStep, nexthopFacts, nexthopText, replaceNexthopStep,
  addRouteStep, addRuleStep, createVrfStep, deleteRouteStep, deleteRuleStep, deleteVrfStep, enslaveStep, releaseStep,
  repairVrfStep, replaceRouteStep, routeAttributes, routeFacts, routeText, ruleFixupStep, ruleText, sysctlStep, type Step, type VrfGaps,
} from './steps.js';

/** The file asks for something the host cannot give as it is (a missing port, a name taken). Exit 1, nothing changed. */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

export interface PlanOptions {
  /** Remove routes, rules, ports and VRFs apply made earlier that the file no longer lists. */
  prune: boolean;
  /** VRFs an interrupted apply was creating (from its journal): apply's own even without the marker. */
  carried?: ReadonlySet<string>;
}

/** What an existing VRF of the file lacks of what apply gives its VRFs: a half-built VRF is a difference. */
function vrfGaps(link: Link, table: number, want: DesiredVrf, current: Current): VrfGaps {
  const hasDefault = (f: 4 | 6): boolean => current.routes.some((r) =>
    r.table === table && familyOf(r.family) === f && r.type === 'unreachable' && r.dst === undefined && r.priority === VRF_DEFAULT_METRIC);
  const hasAddress = (f: 4 | 6): boolean => current.addresses.some((a) =>
    a.index === link.index && familyOf(a.family) === f && (a.local ?? a.address) === (f === 6 ? '::1' : '127.0.0.1') && a.prefixlen === (f === 6 ? 128 : 8));
  return {
    marker: link.ifalias !== VRF_MARKER,
    up: !link.flags.includes('UP'),
    defaults: ([4, 6] as const).filter((f) => !hasDefault(f)),
    loopback: want.loopback ? ([4, 6] as const).filter((f) => !hasAddress(f)) : [],
  };
}

function sameRoute(want: DesiredRoute, have: DesiredRoute): boolean {
  return want.nhid === have.nhid && want.type === have.type && want.gateway === have.gateway && want.prefsrc === have.prefsrc && want.onlink === have.onlink &&
    (want.dev === undefined || want.dev === have.dev);
}

/** The file's nexthop and the kernel's agree (timers the file leaves out: whatever the kernel has). */
function sameNexthop(want: DesiredNexthop, have: Omit<DesiredNexthop, 'path'>): boolean {
  const members = (g: DesiredNexthop['group']) => (g ?? []).map((m) => `${m.id},${m.weight}`).join('/');
  return want.gateway === have.gateway && want.dev === have.dev && want.onlink === have.onlink && want.blackhole === have.blackhole &&
    want.fdb === have.fdb && members(want.group) === members(have.group) && (want.group ? (want.type ?? 'mpath') === have.type : true) &&
    (want.buckets === undefined || want.buckets === have.buckets) && (want.idleTimer === undefined || want.idleTimer === have.idleTimer) &&
    (want.unbalancedTimer === undefined || want.unbalancedTimer === have.unbalancedTimer);
}

function ruleMatches(want: DesiredRule, r: Rule): boolean {
  return familyOf(r.family) === want.family && (r.priority ?? 0) === want.priority && r.src === want.src && r.dst === want.dst &&
    r.iif === want.iif && r.oif === want.oif && (r.fwmark ?? 0) === (want.fwmark ?? 0) && r.table === want.table &&
    r.action === 'lookup' && !r.not && !r.l3mdev && (r.tos ?? 0) === 0;
}

function currentRuleText(r: Rule): string {
  return ruleText({
    family: familyOf(r.family), priority: r.priority, table: r.table, ...(r.src ? { src: r.src } : {}), ...(r.dst ? { dst: r.dst } : {}),
    ...(r.iif ? { iif: r.iif } : {}), ...(r.oif ? { oif: r.oif } : {}), ...(r.fwmark ? { fwmark: r.fwmark } : {}),
  });
}

/**
 * Nexthops apply made (protocol 240) that the file no longer lists, groups first. One still in use
 * stays: by a group or route of the file, or by a route of another protocol (the kernel would
 * delete that route with it).
 */
function pruneNexthops(desired: Desired, current: Current, names: ReadonlyMap<number, string>, wantedRoutes: ReadonlySet<string>): Step[] {
  const keep = new Set<number>(desired.nexthops.map((n) => n.id));
  for (const n of desired.nexthops) for (const m of n.group ?? []) keep.add(m.id);
  for (const r of desired.routes) if (r.nhid !== undefined) keep.add(r.nhid);
  for (const r of current.routes) {
    if (r.nhId === undefined) continue;
    const ours = protocolNumber(r.protocol) === VRFCTL_PROTOCOL;
    // Our routes that stay keep their nexthop; our routes being pruned go first and free it.
    if (!ours || wantedRoutes.has(routeIdentity(routeFacts(r, names)))) keep.add(r.nhId);
  }
  const owned = current.nexthops.filter((n: Nexthop) => n.id !== undefined && protocolNumber(n.protocol) === VRFCTL_PROTOCOL && !keep.has(n.id));
  // A member kept by a group that stays (another protocol's group using our nexthop) stays too.
  for (const g of current.nexthops) {
    if (g.group && !owned.includes(g)) for (const m of g.group) keep.add(m.id);
  }
  const gone = owned.filter((n) => !keep.has(n.id!));
  return [...gone.filter((n) => n.group), ...gone.filter((n) => !n.group)].map((n) => deleteNexthopStep(n, nexthopText(nexthopFacts(n, names))));
}

export function computePlan(desired: Desired, current: Current, options: PlanOptions): Step[] {
  const byName = new Map<string, Link>();
  for (const l of current.links) {
    byName.set(linkName(l), l);
    for (const alt of l.altNames ?? []) byName.set(alt, l);
  }
  const byIndex = new Map(current.links.map((l) => [l.index, l]));
  const names = new Map(current.links.map((l) => [l.index, linkName(l)]));
  const steps: Step[] = [];
  const late: Step[] = [];

  // sysctls: those the kernel lacks now (net.vrf.* before the vrf module loads) go after the VRFs.
  for (const s of desired.sysctls) {
    const now = current.sysctls.get(s.key);
    if (now === s.value) continue;
    (now === undefined ? late : steps).push(sysctlStep(s.key, s.value, now));
  }

  // VRFs and their ports.
  const vrfIndex = new Map<string, number>();
  const portSteps: Step[] = [];
  const releases: Step[] = [];
  let creating = false;
  for (const v of desired.vrfs) {
    const link = byName.get(v.name);
    if (link) {
      const table = vrfTableOf(link);
      if (table === undefined) throw new PlanError(`${v.path}: ${v.name} exists and is not a VRF (${link.linkinfo?.kind ?? 'device'})`);
      if (table !== v.table) throw new PlanError(`${v.path}.table: VRF ${v.name} exists with table ${table}, not ${v.table} (delete it first: vrfctl del ${v.name})`);
      vrfIndex.set(v.name, link.index);
      const gaps = vrfGaps(link, table, v, current);
      if (gaps.marker || gaps.up || gaps.defaults.length > 0 || gaps.loopback.length > 0) steps.push(repairVrfStep(link, table, gaps));
    } else {
      const owner = current.links.find((l) => vrfTableOf(l) === v.table);
      if (owner) throw new PlanError(`${v.path}.table: table ${v.table} belongs to VRF ${linkName(owner)}`);
      steps.push(createVrfStep(v));
      creating = true;
    }
    v.ports.forEach((p, i) => {
      const port = byName.get(p);
      if (!port) throw new PlanError(`${v.path}.ports[${i}]: ${p}: no such device`);
      if (vrfTableOf(port) !== undefined) throw new PlanError(`${v.path}.ports[${i}]: ${p} is a VRF: VRFs do not nest`);
      const master = port.master ? byIndex.get(port.master) : undefined;
      if (master && vrfTableOf(master) === undefined) {
        throw new PlanError(`${v.path}.ports[${i}]: ${p} is a port of ${master.linkinfo?.kind ?? 'device'} ${linkName(master)}: release it from there first`);
      }
      if (link && port.master === link.index) return;
      portSteps.push(enslaveStep(port, v.name, v.table, master ? linkName(master) : undefined));
    });
    // Ports apply put into its own VRFs earlier but the file no longer lists.
    if (options.prune && link && (link.ifalias === VRF_MARKER || options.carried?.has(v.name))) {
      for (const l of current.links) if (l.master === link.index && !v.ports.includes(linkName(l))) releases.push(releaseStep(l, v.name));
    }
  }
  // The rule layout VRFs need (local rule after the VRF tables), once the VRFs exist.
  if (desired.vrfs.length > 0) {
    const commands = ([4, 6] as const).flatMap((f) => fixupSteps(f, current.ruleModels[f]))
      // A VRF created first brings its l3mdev rule with it.
      .filter((s) => !(creating && s.spec.l3mdev))
      .map((s) => s.command);
    if (commands.length > 0) steps.push(ruleFixupStep(commands));
  }
  steps.push(...portSteps);

  // Nexthop objects: members before the groups that use them, all before the routes.
  const nexthopById = new Map(current.nexthops.filter((n) => n.id !== undefined).map((n) => [n.id!, n]));
  const wantedNexthops = new Map(desired.nexthops.map((n) => [n.id, n]));
  for (const n of [...desired.nexthops.filter((x) => !x.group), ...desired.nexthops.filter((x) => x.group)]) {
    (n.group ?? []).forEach((m, i) => {
      if (!wantedNexthops.has(m.id) && !nexthopById.has(m.id)) throw new PlanError(`${n.path}.group[${i}]: nexthop ${m.id} is neither in the file nor in the kernel`);
    });
    if (n.dev !== undefined && !byName.has(n.dev)) throw new PlanError(`${n.path}.dev: ${n.dev}: no such device`);
    const have = nexthopById.get(n.id);
    if (!have) {
      steps.push(addNexthopStep(n));
      continue;
    }
    if (protocolNumber(have.protocol) !== VRFCTL_PROTOCOL) {
      throw new PlanError(`${n.path}.id: nexthop ${n.id} belongs to protocol ${String(have.protocol)}, not to vrfctl (240): choose a free id`);
    }
    const facts = nexthopFacts(have, names);
    if (!sameNexthop(n, facts)) steps.push(replaceNexthopStep(n, have, nexthopText(facts).replace(/^nexthop id \d+ ?/, '')));
  }

  // Routes: one per (family, table, destination, metric), as the kernel keys them.
  const currentRoutes = new Map<string, Route>();
  for (const r of current.routes) {
    if (r.tos || r.type === 'local' || r.type === 'broadcast' || r.type === 'multicast') continue;
    const f = routeFacts(r, names);
    const id = routeIdentity(f);
    if (!currentRoutes.has(id)) currentRoutes.set(id, r);
  }
  const wantedRoutes = new Set<string>();
  for (const r of desired.routes) {
    if (r.nhid !== undefined && !wantedNexthops.has(r.nhid) && !nexthopById.has(r.nhid)) {
      throw new PlanError(`${r.path}.nhid: nexthop ${r.nhid} is neither in the file nor in the kernel`);
    }
    const id = routeIdentity(r);
    wantedRoutes.add(id);
    const have = currentRoutes.get(id);
    if (!have) steps.push(addRouteStep(r));
    else if (!sameRoute(r, routeFacts(have, names))) steps.push(replaceRouteStep(r, have, routeAttributes(routeFacts(have, names))));
  }

  // Rules: present when one matches in everything but its protocol.
  for (const r of desired.rules) if (!current.rules.some((c) => ruleMatches(r, c))) steps.push(addRuleStep(r));
  steps.push(...late);

  if (options.prune) {
    for (const c of current.rules) {
      if (protocolNumber(c.protocol) !== VRFCTL_PROTOCOL) continue;
      if (!desired.rules.some((r) => ruleMatches(r, c))) steps.push(deleteRuleStep(c, currentRuleText(c)));
    }
    for (const c of current.routes) {
      if (protocolNumber(c.protocol) !== VRFCTL_PROTOCOL) continue;
      const f = routeFacts(c, names);
      if (!wantedRoutes.has(routeIdentity(f))) steps.push(deleteRouteStep(c, routeText(f)));
    }
    steps.push(...pruneNexthops(desired, current, names, wantedRoutes));
    steps.push(...releases);
    const wanted = new Set(desired.vrfs.map((v) => v.name));
    for (const l of current.links) {
      const table = vrfTableOf(l);
      const ours = l.ifalias === VRF_MARKER || (options.carried?.has(linkName(l)) ?? false);
      if (table !== undefined && ours && !wanted.has(linkName(l))) steps.push(deleteVrfStep(l, table));
    }
  }
  return steps;
}
