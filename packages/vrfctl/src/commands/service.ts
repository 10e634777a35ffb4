// `vrfctl service bind UNIT VRF [--now]`, `service unbind UNIT [--now]`, `service status [UNIT]`:
// run a systemd service in a VRF without touching its unit file. `bind` writes a drop-in whose
// privileged ExecStartPre attaches the socket-binding program (the one `vrfctl exec` uses) to
// the cgroup systemd made for the unit, so every socket the service opens is in the VRF and a
// restart binds again. `status` reads the kernel: whether the running cgroup carries it.
import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bindCgroupToVrf, cgroupBinding, unitCgroupOf, vrfDeviceIndex, validateVrfName } from '@vrfctl/vrf';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { EXIT_REFUSED, UsageError } from '../errors.js';
import { parseCommandFlags } from '../batch-flags.js';
import { DROP_IN_NAME, dropInPath, dropInText, serviceUnitName, unitDirectory, vrfOfDropIn } from '../systemd/units.js';
import { systemctl, systemdRunning, unitProperties } from '../systemd/systemctl.js';

const USAGE = 'usage: vrfctl service bind UNIT VRF [--now] | unbind UNIT [--now] | status [UNIT]';

export function run(args: string[], opts: GlobalOptions): number {
  const [verb, ...rest] = args;
  const { words, flags } = parseCommandFlags(rest, { switches: verb === 'bind' || verb === 'unbind' ? ['now'] : [] });
  if (verb === 'bind' && words.length === 2) return bind(serviceUnitName(words[0]), words[1], flags.has('now'));
  if (verb === 'unbind' && words.length === 1) return unbind(serviceUnitName(words[0]), flags.has('now'));
  if (verb === 'status' && words.length <= 1) return status(words[0] === undefined ? undefined : serviceUnitName(words[0]), opts);
  if (verb === 'cgroup-bind' && words.length === 1) return cgroupBind(words[0]);
  throw new UsageError(verb === undefined || ['bind', 'unbind', 'status'].includes(verb) ? USAGE : `service: unknown verb "${verb}"\n${USAGE}`);
}

function fail(message: string): number {
  process.stderr.write(`vrfctl: service: ${message}\n`);
  return EXIT_REFUSED;
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const tmp = `${path}.vrfctl-tmp`;
  writeFileSync(tmp, text, { mode: 0o644 });
  chmodSync(tmp, 0o644); // whatever the umask: systemd and its tools read units as any user
  renameSync(tmp, path);
}

function reloadAndMaybeRestart(unit: string, now: boolean): number {
  if (!systemdRunning()) {
    if (now) return fail(`systemd is not running here: ${unit} was not restarted`);
    return 0;
  }
  const reload = systemctl('daemon-reload');
  if (!reload.ok) return fail(`systemctl daemon-reload: ${reload.error}`);
  if (now) {
    const r = systemctl('restart', unit);
    if (!r.ok) return fail(`systemctl restart ${unit}: ${r.error}`);
  }
  return 0;
}

function bind(unit: string, vrf: string, now: boolean): number {
  validateVrfName(vrf);
  // The VRF may be made later at boot (vrfctl-apply.service runs first): only warn now.
  try {
    vrfDeviceIndex(vrf);
  } catch (err) {
    process.stderr.write(`vrfctl: service: warning: ${(err as Error).message}: ${unit} will fail to start until it exists\n`);
  }
  const path = dropInPath(unit);
  writeAtomically(path, dropInText(vrf, unit));
  const code = reloadAndMaybeRestart(unit, now);
  if (code !== 0) return code;
  writeLine(`${unit}: bound to VRF ${vrf} (${path})${now || !systemdRunning() ? '' : `; restart it to bind its sockets: systemctl restart ${unit}`}`);
  return 0;
}

function unbind(unit: string, now: boolean): number {
  const path = dropInPath(unit);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fail(`${unit} is not bound to a VRF (no ${path})`);
  }
  if (vrfOfDropIn(text) === undefined) return fail(`${path} was not written by vrfctl service bind: left alone`);
  unlinkSync(path);
  try {
    rmdirSync(dirname(path)); // only when no other drop-in is left
  } catch {
    // other drop-ins live there
  }
  const code = reloadAndMaybeRestart(unit, now);
  if (code !== 0) return code;
  writeLine(`${unit}: unbound${now || !systemdRunning() ? '' : `; sockets stay bound until it restarts: systemctl restart ${unit}`}`);
  return 0;
}

interface UnitStatus {
  unit: string;
  vrf: string;
  active: string;
  cgroup: string | null;
  /** What the kernel says the running cgroup binds sockets to. */
  bound_to: string | null;
  bound: boolean;
}

function boundUnits(): Array<{ unit: string; vrf: string }> {
  let dirs: string[];
  try {
    dirs = readdirSync(unitDirectory()).filter((d) => d.endsWith('.service.d'));
  } catch {
    return [];
  }
  const out: Array<{ unit: string; vrf: string }> = [];
  for (const d of dirs.sort()) {
    try {
      const vrf = vrfOfDropIn(readFileSync(`${unitDirectory()}/${d}/${DROP_IN_NAME}`, 'utf8'));
      if (vrf !== undefined) out.push({ unit: d.slice(0, -'.d'.length), vrf });
    } catch {
      // no drop-in of ours in this directory
    }
  }
  return out;
}

function unitStatus(unit: string, vrf: string): UnitStatus {
  let active = 'unknown';
  let cgroup: string | null = null;
  if (systemdRunning()) {
    const p = unitProperties(unit, ['ActiveState', 'ControlGroup']);
    active = p.get('ActiveState') ?? 'unknown';
    cgroup = p.get('ControlGroup') || null;
  }
  const binding = cgroup === null ? undefined : cgroupBinding(cgroup);
  const boundTo = binding === undefined ? null : binding.device ?? `ifindex ${binding.ifindex}`;
  return { unit, vrf, active, cgroup, bound_to: boundTo, bound: boundTo === vrf };
}

function status(only: string | undefined, opts: GlobalOptions): number {
  const units = boundUnits().filter((u) => only === undefined || u.unit === only);
  if (only !== undefined && units.length === 0) return fail(`${only} is not bound to a VRF`);
  const rows = units.map((u) => unitStatus(u.unit, u.vrf));
  if (opts.json) {
    printJson(rows, opts);
    return 0;
  }
  const table = [['UNIT', 'VRF', 'ACTIVE', 'SOCKETS'], ...rows.map((r) => [r.unit, r.vrf, r.active,
    r.bound ? `bound to ${r.vrf}` : r.cgroup === null ? '-' : r.bound_to === null ? 'NOT bound (restart the unit)' : `bound to ${r.bound_to}, NOT ${r.vrf}`])];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table) writeLine(row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  return 0;
}

/** What the drop-in runs (ExecStartPre=+): bind the unit's own cgroup to VRF `vrf`. */
function cgroupBind(vrf: string): number {
  const cgroup = unitCgroupOf('self');
  if (cgroup === '/') return fail('cgroup-bind runs from a unit\'s ExecStartPre, not in the root cgroup');
  bindCgroupToVrf(cgroup, vrf);
  return 0;
}
