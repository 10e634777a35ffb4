// Shared by the robustness tests: throwaway namespaces and the built CLI, spawned with a timeout.
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const VRFCTL_BIN = fileURLToPath(new URL('../../packages/vrfctl/bin/vrfctl.js', import.meta.url));

/** A fresh netns with lo up, deleted in teardown. */
export function tempNetns(t: ExecutionContext): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => {
    execFileSync('ip', ['netns', 'del', name]);
  });
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

export function ip(netns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
}

/** "net:[4026531840]": which network namespace this thread is in. */
export function threadNetns(): string {
  return readlinkSync('/proc/thread-self/ns/net');
}

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The child was killed at the timeout: a hang. */
  timedOut: boolean;
}

/** Runs argv with a hard timeout; a hang shows up as timedOut, never as a stuck test. */
export function run(argv: string[], opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Run {
  const o: SpawnSyncOptions = {
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    cwd: REPO,
  };
  const r = spawnSync(argv[0], argv.slice(1), o);
  const err = r.error as NodeJS.ErrnoException | undefined;
  return {
    code: r.status,
    signal: r.signal,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    timedOut: err?.code === 'ETIMEDOUT',
  };
}

export function vrfctl(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Run {
  return run([process.execPath, VRFCTL_BIN, ...args], opts);
}
