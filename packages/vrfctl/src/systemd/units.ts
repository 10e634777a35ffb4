// The files vrfctl writes for systemd: the drop-in that binds a service to a VRF, and the boot
// unit vrfctl-apply.service. Their text is built here, and read back here, so `status` and
// `unbind` recognise exactly what `bind` and `boot enable` wrote.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';

/** Where units and drop-ins go (VRFCTL_SYSTEMD_DIR moves it, for tests without systemd). */
export function unitDirectory(): string {
  return process.env.VRFCTL_SYSTEMD_DIR ?? '/etc/systemd/system';
}

export const DROP_IN_NAME = '50-vrfctl-vrf.conf';
export const APPLY_UNIT = 'vrfctl-apply.service';
const MARKER = '# Written by `vrfctl service bind`';

/** "docker" → "docker.service"; anything that is not a service unit name is refused. */
export function serviceUnitName(name: string): string {
  const unit = name.includes('.') ? name : `${name}.service`;
  if (!/^[A-Za-z0-9:_.\\@-]{1,247}\.service$/.test(unit) || unit.startsWith('.')) {
    throw new UsageError(`"${unit.length > 60 ? `${unit.slice(0, 57)}...` : unit}" is not a service unit name`);
  }
  return unit;
}

export function dropInPath(unit: string): string {
  return join(unitDirectory(), `${unit}.d`, DROP_IN_NAME);
}

/**
 * The installed package's root: from the running bin script (argv[1], symlinks resolved: a global
 * install links /usr/local/bin/vrfctl to it), not import.meta, which the CommonJS bundle lacks.
 */
function packageRoot(): string {
  const bin = realpathSync(process.argv[1] ?? '');
  if (!bin.endsWith(join('bin', 'vrfctl.js'))) throw new UsageError(`cannot tell where vrfctl is installed (run as ${bin})`);
  return dirname(dirname(bin));
}

/** How a unit runs this vrfctl: node and the bin script, absolute, quoted for systemd. */
export function vrfctlCommandLine(): string {
  return [process.execPath, join(packageRoot(), 'bin', 'vrfctl.js')].map(quote).join(' ');
}

function quote(word: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(word) ? word : `"${word.replace(/["\\]/g, '\\$&')}"`;
}

export function dropInText(vrf: string, unit: string): string {
  return `${MARKER}: every socket this unit opens is bound to VRF ${vrf}.
# The unit file stays the package's own; remove this with \`vrfctl service unbind ${unit}\`.
[Unit]
After=${APPLY_UNIT}

[Service]
# "+": full privileges for this step only (it attaches a BPF program to the unit's cgroup).
ExecStartPre=+${vrfctlCommandLine()} service cgroup-bind ${vrf}
`;
}

/** The VRF a drop-in written by `bind` names, or undefined for any other file. */
export function vrfOfDropIn(text: string): string | undefined {
  if (!text.startsWith(MARKER)) return undefined;
  return /service cgroup-bind (\S+)\s*$/m.exec(text)?.[1];
}

/** The shipped vrfctl-apply.service with ExecStart pointing at this vrfctl and `file`. */
export function applyUnitText(file: string): string {
  const shipped = readFileSync(join(packageRoot(), 'systemd', APPLY_UNIT), 'utf8');
  return shipped
    .replace(/^Description=.*$/m, `Description=VRFs, routes and rules from ${file} (vrfctl apply)`)
    .replace(/^ExecStart=.*$/m, `ExecStart=${vrfctlCommandLine()} apply --wait-ports 60 ${quote(file)}`);
}

/** The FILE the installed vrfctl-apply.service applies, or undefined. */
export function fileOfApplyUnit(text: string): string | undefined {
  const m = /^ExecStart=.* apply --wait-ports \d+ (.+)$/m.exec(text);
  return m ? m[1].replace(/^"(.*)"$/, '$1') : undefined;
}
