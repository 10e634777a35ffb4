// Runs the built CLI as a user would (compiled JavaScript, no ts-node), for end-to-end tests.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const VRFCTL_BIN = fileURLToPath(new URL('../bin/vrfctl.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function vrfctl(args: string[], input?: string): CliResult {
  // nl decode of every golden fixture prints more than spawnSync's default 1 MiB.
  const r = spawnSync(process.execPath, [VRFCTL_BIN, ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
