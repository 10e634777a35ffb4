// The few systemctl calls vrfctl makes, only when systemd runs this host (/run/systemd/system
// exists, sd_booted(3)'s test); without it the files are written and nothing is reloaded.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export function systemdRunning(): boolean {
  return existsSync('/run/systemd/system') && process.env.VRFCTL_SYSTEMD_DIR === undefined;
}

export interface Systemctl {
  ok: boolean;
  stdout: string;
  /** systemctl's own message when it failed, one line. */
  error: string;
}

export function systemctl(...args: string[]): Systemctl {
  const r = spawnSync('systemctl', args, { encoding: 'utf8' });
  const error = (r.error?.message ?? r.stderr ?? '').trim().split('\n')[0] ?? '';
  return { ok: r.status === 0, stdout: r.stdout ?? '', error };
}

/** `systemctl show UNIT -p A -p B` as a map. */
export function unitProperties(unit: string, names: readonly string[]): Map<string, string> {
  const r = systemctl('show', unit, ...names.flatMap((n) => ['-p', n]));
  const props = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) props.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return props;
}
