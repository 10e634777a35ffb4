// Throwaway network namespaces for the tests: a fresh one per test, lo up, deleted at teardown.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';

export function tempNetns(t: ExecutionContext): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => {
    // Never throws: a failed delete must not hide the test's own result.
    spawnSync('ip', ['netns', 'del', name]);
  });
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** `ip -n NS ARGS…`; throws with ip's stderr when it fails. */
export function ip(netns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', netns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
