// Runs every check over one reading of the state, keeps the findings about the VRFs asked for
// (and the host-wide ones), and orders them: errors first, then by id and subject.
import { checkCgroups } from './checks-cgroups.js';
import { checkRoutes } from './checks-routes.js';
import { checkRules } from './checks-rules.js';
import { checkSockets } from './checks-sockets.js';
import { checkVrfDevices } from './checks-vrf.js';
import { SEVERITIES, type Finding, type Severity } from './finding.js';
import type { DoctorState } from './state.js';
import { HostView } from './view.js';

/** doctor's exit status when it found errors: distinct from EXIT_REFUSED and EXIT_USAGE (the command itself failing). */
export const EXIT_DOCTOR_ERRORS = 3;

const CHECKS: ReadonlyArray<(view: HostView) => Finding[]> = [checkVrfDevices, checkRules, checkRoutes, checkSockets, checkCgroups];

export function runChecks(state: DoctorState, only: readonly string[] = []): Finding[] {
  const view = new HostView(state);
  const wanted = new Set(only);
  const found = CHECKS.flatMap((check) => check(view))
    .filter((f) => wanted.size === 0 || f.vrfs.length === 0 || f.vrfs.some((v) => wanted.has(v)));
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  return found.sort((a, b) => rank(a.severity) - rank(b.severity) || a.id.localeCompare(b.id) || a.subject.localeCompare(b.subject));
}

export function counts(findings: readonly Finding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}
