// What doctor reports: one finding per problem, with a stable id, a severity, a line in the
// host's own terms and the exact command (or file edit) that fixes it. Safe fixes carry the
// apply step that --fix runs.
import type { Step } from '../apply/steps.js';

export type Severity = 'error' | 'warning' | 'note';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'note'];

export interface Finding {
  /** Stable identifier of the kind of problem, e.g. "vrf-no-unreachable-default". */
  id: string;
  severity: Severity;
  /** The VRFs it concerns ([] for host-wide problems). */
  vrfs: string[];
  /** What it is about (a device, a table, a rule…), so that two findings of one id differ. */
  subject: string;
  /** One line: what is wrong and what it breaks. */
  message: string;
  /** The exact fix: a vrfctl command line, or the file to edit and how. */
  fix: string;
  /** What else to know or do about the fix (an alternative, a step the command cannot do). */
  hint?: string;
  /** The fix changes nothing but the problem and is applied by --fix. */
  safe: boolean;
  /** For safe fixes: the change, as an apply step (run with rollback). */
  step?: Step;
}

/** A finding's JSON form (`doctor -j`): everything but the step. */
export function findingJson(f: Finding): Omit<Finding, 'step'> {
  const { step: _s, ...rest } = f;
  return rest;
}
