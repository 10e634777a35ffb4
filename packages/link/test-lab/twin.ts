// What the link lab tests share: vrfctl run as a user runs it, and the "twin" check that the
// same commands leave the same kernel state through vrfctl in one netns and ip in another.
import type { ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ip, tempNetns } from '../../route/test/netns.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

export function vrfctl(ns: string, words: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '--netns', ns, ...words], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The kernel's view of the links (`ip -j -d link show`), through clean() to drop what differs by chance. */
export function kernelLinks(ns: string, clean: (link: Record<string, unknown>) => unknown): unknown[] {
  return (JSON.parse(ip(ns, '-j', '-d', 'link', 'show')) as Array<Record<string, unknown>>).map(clean);
}

/** Runs each step with vrfctl in one netns and with ip in another, comparing after each; returns vrfctl's netns. */
export function twinSteps(t: ExecutionContext, steps: string[][], clean: (link: Record<string, unknown>) => unknown): string {
  const ours = tempNetns(t);
  const theirs = tempNetns(t);
  for (const words of steps) {
    const r = vrfctl(ours, words);
    t.is(r.code, 0, `vrfctl ${words.join(' ')}: ${r.stderr}`);
    ip(theirs, ...words);
    t.deepEqual(kernelLinks(ours, clean), kernelLinks(theirs, clean), words.join(' '));
  }
  return ours;
}
