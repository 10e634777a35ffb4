// FIB rules: the l3mdev rule that sends VRF traffic to VRF tables, the local rule that must
// come after it, and rules that point at tables with nothing in them.
import type { Rule } from '@vrfctl/rtnetlink';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '@vrfctl/route';
import type { Finding } from './finding.js';
import { ruleFixupStep } from './fix-steps.js';
import { familyName, familyOf, type HostView } from './view.js';

const L3MDEV_PREF = 1000;

/** "from all lookup local" with no selector (the rule the kernel starts with at pref 0). */
function plainLocal(r: Rule): boolean {
  return r.table === RT_TABLE_LOCAL && r.action === 'lookup' && !r.not && !r.l3mdev && r.src === undefined &&
    r.dst === undefined && r.iif === undefined && r.oif === undefined && !r.fwmark && !r.tos && r.uidRange === undefined;
}

/** "pref 100 from 198.51.100.0/24 lookup 300", as `ip rule del` takes it. */
export function ruleWords(r: Rule): string {
  const w = [`pref ${r.priority ?? 0}`];
  if (r.not) w.push('not');
  if (r.src) w.push('from', r.src);
  if (r.dst) w.push('to', r.dst);
  if (r.iif) w.push('iif', r.iif);
  if (r.oif) w.push('oif', r.oif);
  if (r.fwmark) w.push('fwmark', `0x${r.fwmark.toString(16)}`);
  w.push('lookup', String(r.table));
  return w.join(' ');
}

export function checkRules(view: HostView): Finding[] {
  const out: Finding[] = [];
  const allVrfs = view.vrfs.map((v) => v.name);
  for (const family of [4, 6] as const) {
    const rules = view.state.rules.filter((r) => familyOf(r.family) === family);
    const l3mdev = rules.filter((r) => r.l3mdev);
    if (l3mdev.length === 0 && view.vrfs.length > 0) {
      out.push({
        id: 'l3mdev-rule-missing', severity: 'error', vrfs: allVrfs, subject: family === 6 ? 'inet6' : 'inet',
        message: `no ${familyName(family)} l3mdev rule: ${familyName(family)} lookups never reach a VRF table, so VRF traffic is routed by the main table`,
        fix: view.vrfctl('rule fixup'), safe: true, step: ruleFixupStep(family),
      });
    }
    const l3Pref = Math.min(...l3mdev.map((r) => r.priority ?? 0), L3MDEV_PREF);
    const early = rules.find((r) => plainLocal(r) && (r.priority ?? 0) < l3Pref);
    if (early && view.vrfs.length > 0) {
      out.push({
        id: 'local-rule-first', severity: 'warning', vrfs: allVrfs, subject: family === 6 ? 'inet6' : 'inet',
        message: `the ${familyName(family)} local rule is at pref ${early.priority ?? 0}, before the l3mdev rule (${l3Pref}): the default VRF's local table answers first, so addresses of the default VRF are local inside VRFs too and VRF-local addresses can shadow each other`,
        fix: view.vrfctl('rule fixup'), safe: true, step: ruleFixupStep(family),
      });
    }
    // Tables exist only while they have routes: a rule to a missing table is a rule to an empty one.
    for (const r of rules) {
      if (r.action !== 'lookup' || r.l3mdev || r.not) continue;
      if (r.table === RT_TABLE_LOCAL || r.table === RT_TABLE_MAIN || r.table === RT_TABLE_DEFAULT || r.table === 0) continue;
      if (view.routes(r.table, family).length > 0) continue;
      const owner = view.vrfs.filter((v) => v.table === r.table).map((v) => v.name);
      const words = ruleWords(r);
      out.push({
        id: 'rule-empty-table', severity: 'warning', vrfs: owner, subject: `${family === 6 ? '-6 ' : ''}${words}`,
        message: `rule "${words}" sends ${familyName(family)} traffic to table ${r.table}, which has no ${familyName(family)} routes: every lookup misses and falls through to the next rule`,
        fix: view.vrfctl(`${family === 6 ? '-6 ' : ''}rule del ${words}`),
        hint: `or add the routes it was meant for: ${view.vrfctl(`${family === 6 ? '-6 ' : ''}route add PREFIX via GATEWAY table ${r.table}`)}`,
        safe: false,
      });
    }
  }
  return out;
}
