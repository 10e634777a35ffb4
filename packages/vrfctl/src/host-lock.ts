// The host lock as the mutating commands take it: not under --dry-run, and with a note on stderr
// when another vrfctl holds it, so a wait never looks like a hang.
import { takeHostLock, type HostLock } from '@vrfctl/vrf';
import type { GlobalOptions } from './context.js';

export function lockHost(command: string, opts: GlobalOptions): HostLock | undefined {
  if (opts.dryRun) return undefined;
  return takeHostLock(undefined, undefined, (path) =>
    process.stderr.write(`vrfctl: ${command}: waiting for ${path}: another vrfctl is changing this host\n`));
}

/** fn under the host lock (none under --dry-run). */
export function withHostLock<T>(command: string, opts: GlobalOptions, fn: () => T): T {
  const lock = lockHost(command, opts);
  try {
    return fn();
  } finally {
    lock?.release();
  }
}
