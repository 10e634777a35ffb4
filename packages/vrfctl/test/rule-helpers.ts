// Shared by the rule CLI tests: throwaway namespaces, `ip` in them, and `vrfctl rule` run in
// process (the same code path as the binary, without a ts-node start per call).
import { spawnSync } from 'node:child_process';
import { run } from '../src/commands/rule.js';
import { lines, runInProcess, type CliResult } from './in-process.js';

import { tempNetns, ip } from '../../../test/support/netns.js';

export { tempNetns, ip };

export { maskSeqPid, type CliResult } from './in-process.js';



/** `ip -n NS …` that may fail: status and output. */
export function ipTry(netns: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `ip -j rule show` (per family) parsed. */
export function ipRulesJson(netns: string, family: 4 | 6 = 4): Array<Record<string, unknown>> {
  return JSON.parse(ip(netns, `-${family}`, '-j', 'rule', 'show')) as Array<Record<string, unknown>>;
}

/**
 * Runs `vrfctl [global flags] rule ARGS…` in this process: global flags are the words before
 * "rule" (-n NS, -4, -6, -j, --dry-run, --hex).
 */
export function vrfctl(argv: string[]): CliResult {
  return runInProcess('rule', run, argv);
}

/** The hex lines a dry run printed. */
export const hexLines = lines;
