// Shared by the robustness tests: throwaway namespaces and the built CLI, spawned with a timeout.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { tempNetns, ip } from '../support/netns.js';

export { tempNetns, ip };

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const VRFCTL_BIN = fileURLToPath(new URL('../../packages/vrfctl/bin/vrfctl.js', import.meta.url));



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
