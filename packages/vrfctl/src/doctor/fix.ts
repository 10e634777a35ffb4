// --fix: the safe fixes of the findings, as apply steps in apply's order (links up, then
// addresses, routes and rules, added before anything is removed; files last), run through
// apply's executor so that a failure undoes the completed ones. One step per distinct change:
// two findings with the same fix (the rule fixup) run it once.
import type { Step } from '../apply/steps.js';
import type { Finding } from './finding.js';

const ORDER: ReadonlyArray<Step['kind']> = ['link', 'port', 'addr', 'route', 'rule', 'sysctl', 'vrf', 'file'];

export function fixSteps(findings: readonly Finding[]): Step[] {
  const seen = new Set<string>();
  const steps: Step[] = [];
  for (const f of findings) {
    if (!f.safe || !f.step || seen.has(f.step.title)) continue;
    seen.add(f.step.title);
    steps.push(f.step);
  }
  // Stable: within a kind, the findings' order.
  return steps.map((s, i) => ({ s, i })).sort((a, b) => ORDER.indexOf(a.s.kind) - ORDER.indexOf(b.s.kind) || a.i - b.i).map((x) => x.s);
}
