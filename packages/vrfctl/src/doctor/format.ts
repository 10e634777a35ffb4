// doctor's output: two lines per finding for people, one JSON document for monitoring.
import { findingJson, type Finding } from './finding.js';
import { counts } from './run.js';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 *   error    vrf-no-unreachable-default  table 1000 of VRF mgmt has no IPv4 default route: …
 *            fix: vrfctl route add unreachable default metric 4278198272 vrf mgmt
 */
export function formatText(findings: readonly Finding[]): string[] {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.severity.padEnd(8)} ${f.id}: ${f.message}`);
    lines.push(`${' '.repeat(9)}fix${f.safe ? ' (--fix)' : ''}: ${f.fix}`);
    if (f.hint) lines.push(`${' '.repeat(9)}${f.hint}`);
  }
  const c = counts(findings);
  lines.push(findings.length === 0 ? 'no problems found' : `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}`);
  return lines;
}

export interface DoctorJson {
  findings: Array<Omit<Finding, 'step'>>;
  errors: number;
  warnings: number;
  notes: number;
  /** Steps --fix applied (their text), in order. */
  fixed?: string[];
}

export function formatJson(findings: readonly Finding[], fixed?: readonly string[]): DoctorJson {
  const c = counts(findings);
  return { findings: findings.map(findingJson), errors: c.error, warnings: c.warning, notes: c.note, ...(fixed ? { fixed: [...fixed] } : {}) };
}
