// The sysctls that matter to VRFs, read and set through /proc/sys. /proc/sys/net shows the
// network namespace of the calling thread, so netns access goes through inNetns (setns is
// per thread, and Node's synchronous fs calls run on this thread).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { inNetns } from '@vrfctl/socket';
import { ArgumentError } from './validate.js';
import { validateInterfaceName } from '@vrfctl/iproute2';

export interface SysctlKey {
  /** Dotted name, as sysctl(8) prints it: "net.ipv4.tcp_l3mdev_accept". */
  key: string;
  /** Path under /proc/sys. */
  path: string;
  /** Values the kernel accepts for it. */
  allowed: readonly number[];
}

const BOOL = [0, 1] as const;

/** The fixed keys; keep_addr_on_down is per interface (all, default or a device). */
const FIXED: Readonly<Record<string, readonly number[]>> = {
  'net.ipv4.tcp_l3mdev_accept': BOOL,
  'net.ipv4.udp_l3mdev_accept': BOOL,
  'net.ipv4.raw_l3mdev_accept': BOOL,
  'net.vrf.strict_mode': BOOL,
};
const KEEP_ADDR = /^net\.ipv6\.conf\.(.+)\.keep_addr_on_down$/;
const KEEP_ADDR_VALUES = [-1, 0, 1] as const;

export const VRF_SYSCTL_KEYS: readonly string[] = [...Object.keys(FIXED), 'net.ipv6.conf.*.keep_addr_on_down'];

/** One of the VRF sysctls, or ArgumentError. Device names with dots are written with '/', as sysctl(8) does. */
export function parseSysctlKey(key: string): SysctlKey {
  const fixed = FIXED[key];
  if (fixed) return { key, path: `/proc/sys/${key.replace(/\./g, '/')}`, allowed: fixed };
  const m = KEEP_ADDR.exec(key);
  // In the dotted form a device's own dots are written '/'; a bare '.' there would be another path level.
  if (m && !m[1].includes('.')) {
    const dev = m[1].replace(/\//g, '.');
    if (dev !== 'all' && dev !== 'default') validateInterfaceName(dev, 'interface in sysctl key');
    return { key, path: `/proc/sys/net/ipv6/conf/${dev}/keep_addr_on_down`, allowed: KEEP_ADDR_VALUES };
  }
  throw new ArgumentError(`unknown sysctl "${key}": vrfctl manages only ${VRF_SYSCTL_KEYS.join(', ')}`);
}

export interface SysctlAssignment {
  key: string;
  value: number;
}

/** "KEY=VALUE" (spaces around '=' allowed, as in sysctl.conf), checked against the key's values. */
export function parseSysctlAssignment(text: string): SysctlAssignment {
  const eq = text.indexOf('=');
  if (eq < 0) throw new ArgumentError(`"${text}": expected KEY=VALUE`);
  const key = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const k = parseSysctlKey(key);
  if (!/^-?\d+$/.test(raw) || !k.allowed.includes(Number(raw))) {
    throw new ArgumentError(`invalid value "${raw}" for ${key}: must be one of ${k.allowed.join(', ')}`);
  }
  return { key, value: Number(raw) };
}

export interface SysctlOptions {
  /** Network namespace (name under /run/netns, or a path); default: ours. */
  netns?: string;
}

export interface SysctlValue {
  key: string;
  /** undefined when the kernel does not have it (net.vrf.* before the vrf module is loaded). */
  value: number | undefined;
}

function within<T>(options: SysctlOptions, fn: () => T): T {
  return options.netns === undefined ? fn() : inNetns(options.netns, fn);
}

function readValue(path: string): number | undefined {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function readSysctl(key: string, options: SysctlOptions = {}): number | undefined {
  const k = parseSysctlKey(key);
  return within(options, () => readValue(k.path));
}

/**
 * Every VRF sysctl: the fixed ones, then keep_addr_on_down for all, default and (with
 * interfaces) each device.
 */
export function readVrfSysctls(options: SysctlOptions & { interfaces?: boolean } = {}): SysctlValue[] {
  return within(options, () => {
    const keys = [...Object.keys(FIXED), 'net.ipv6.conf.all.keep_addr_on_down', 'net.ipv6.conf.default.keep_addr_on_down'];
    if (options.interfaces) {
      let devs: string[] = [];
      try {
        devs = readdirSync('/proc/sys/net/ipv6/conf').filter((d) => d !== 'all' && d !== 'default').sort();
      } catch {
        // IPv6 disabled: no per-device entries
      }
      for (const d of devs) keys.push(`net.ipv6.conf.${d.replace(/\./g, '/')}.keep_addr_on_down`);
    }
    return keys.map((key) => ({ key, value: readValue(parseSysctlKey(key).path) }));
  });
}

export interface SysctlChange extends SysctlAssignment {
  previous: number;
}

/**
 * Sets the given sysctls, all checked first (keys, values, and that each exists). If one write
 * fails, the ones already written get their previous values back.
 */
export function setVrfSysctls(assignments: readonly (SysctlAssignment | string)[], options: SysctlOptions = {}): SysctlChange[] {
  const parsed = assignments.map((a) => (typeof a === 'string' ? parseSysctlAssignment(a) : parseSysctlAssignment(`${a.key}=${a.value}`)));
  if (parsed.length === 0) throw new ArgumentError('nothing to set: give KEY=VALUE');
  return within(options, () => {
    const plan = parsed.map((a) => {
      const k = parseSysctlKey(a.key);
      const previous = readValue(k.path);
      if (previous === undefined) throw new ArgumentError(`${a.key} does not exist here (is the vrf module loaded / the device there?)`);
      return { ...a, path: k.path, previous };
    });
    const done: typeof plan = [];
    try {
      for (const p of plan) {
        writeFileSync(p.path, `${p.value}\n`);
        done.push(p);
      }
    } catch (err) {
      for (const p of done.reverse()) {
        try {
          writeFileSync(p.path, `${p.previous}\n`);
        } catch {
          // best effort; the original error is reported
        }
      }
      throw err;
    }
    return plan.map(({ key, value, previous }) => ({ key, value, previous }));
  });
}
