// `vrfctl boot enable [FILE]`, `boot disable`, `boot status`: the VRFs of FILE (default
// /etc/vrfctl.yaml; netplan YAML or a networkd directory work too) made at every boot by
// vrfctl-apply.service, a oneshot ordered after network.target (ports named and addressed) and
// before network-online.target and the services bound to a VRF; it waits up to 60 s for a port
// that appears late. `status` says whether it is enabled, how its last run ended, and whether
// the kernel matches FILE now (what `vrfctl diff FILE` would print).
import { chmodSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { EXIT_REFUSED, UsageError } from '../errors.js';
import { withSession } from '../session.js';
import { loadDesired, planFor } from '../apply/load.js';
import { APPLY_UNIT, applyUnitText, fileOfApplyUnit, unitDirectory } from '../systemd/units.js';
import { systemctl, systemdRunning, unitProperties } from '../systemd/systemctl.js';

const USAGE = 'usage: vrfctl boot enable [FILE] | disable | status';
const DEFAULT_FILE = '/etc/vrfctl.yaml';

export function run(args: string[], opts: GlobalOptions): number {
  const [verb, ...rest] = args;
  if (verb === 'enable' && rest.length <= 1) return enable(resolve(rest[0] ?? DEFAULT_FILE));
  if (verb === 'disable' && rest.length === 0) return disable();
  if (verb === 'status' && rest.length === 0) return status(opts);
  throw new UsageError(verb === undefined || ['enable', 'disable', 'status'].includes(verb) ? USAGE : `boot: unknown verb "${verb}"\n${USAGE}`);
}

function fail(message: string): number {
  process.stderr.write(`vrfctl: boot: ${message}\n`);
  return EXIT_REFUSED;
}

const unitPath = (): string => join(unitDirectory(), APPLY_UNIT);

function enable(file: string): number {
  // A file that would fail at boot is refused now, with the same messages apply gives.
  const desired = loadDesired('boot', file);
  if (typeof desired === 'number') return desired;
  const path = unitPath();
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  writeFileSync(`${path}.vrfctl-tmp`, applyUnitText(file), { mode: 0o644 });
  chmodSync(`${path}.vrfctl-tmp`, 0o644); // whatever the umask
  renameSync(`${path}.vrfctl-tmp`, path);
  if (systemdRunning()) {
    for (const args of [['daemon-reload'], ['enable', APPLY_UNIT]]) {
      const r = systemctl(...args);
      if (!r.ok) return fail(`systemctl ${args.join(' ')}: ${r.error}`);
    }
  }
  writeLine(`${APPLY_UNIT}: applies ${file} at boot (${path})`);
  return 0;
}

function disable(): number {
  const path = unitPath();
  if (systemdRunning()) systemctl('disable', APPLY_UNIT);
  try {
    unlinkSync(path);
  } catch {
    return fail(`${APPLY_UNIT} is not installed (no ${path})`);
  }
  if (systemdRunning()) systemctl('daemon-reload');
  writeLine(`${APPLY_UNIT}: removed`);
  return 0;
}

function status(opts: GlobalOptions): number {
  let text: string;
  try {
    text = readFileSync(unitPath(), 'utf8');
  } catch {
    return fail(`${APPLY_UNIT} is not installed: vrfctl boot enable [FILE]`);
  }
  const file = fileOfApplyUnit(text);
  if (file === undefined) return fail(`${unitPath()} was not written by vrfctl boot enable`);
  const props = systemdRunning() ? unitProperties(APPLY_UNIT, ['UnitFileState', 'ActiveState', 'Result', 'ExecMainStatus']) : new Map<string, string>();
  const desired = loadDesired('boot', file);
  if (typeof desired === 'number') return desired;
  return withSession({ ...opts, dryRun: false }, (s) => {
    const steps = planFor('boot', s, desired, opts, false);
    if (typeof steps === 'number') return steps;
    const row = {
      unit: APPLY_UNIT, file,
      enabled: props.get('UnitFileState') ?? null,
      active: props.get('ActiveState') ?? null,
      result: props.get('Result') ?? null,
      matches: steps.length === 0,
      changes: steps.map((st) => `${st.sign} ${st.text}`),
    };
    if (opts.json) printJson(row, opts);
    else {
      writeLine(`${APPLY_UNIT}: ${row.enabled ?? 'installed'}, ${row.active ?? 'systemd not running'}${row.result ? ` (last run: ${row.result})` : ''}`);
      writeLine(row.matches ? `the kernel matches ${file}` : `the kernel differs from ${file} (vrfctl apply ${file} would make ${steps.length} change${steps.length === 1 ? '' : 's'}):`);
      for (const c of row.changes) writeLine(`  ${c}`);
    }
    return 0;
  });
}
