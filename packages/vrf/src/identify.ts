// `vrf identify` and `vrf pids`: which VRF a process is in, and which processes are in a
// VRF, read from the cgroup2 tree the way iproute2 reads it (so each sees the other's).
import { readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { currentNetnsName, ensureCgroup2Mount, netnsCgroupDir } from './cgroup.js';
import { vrfDeviceIndex } from './exec.js';
import { cgroupBinding } from './cgroup-binding.js';
import { VrfError, validateVrfName } from './names.js';

function errnoOf(err: unknown): number | undefined {
  const n = (err as NodeJS.ErrnoException).errno;
  return typeof n === 'number' ? -n : undefined;
}

/**
 * The VRF process `pid` runs in: what follows "/vrf/" in its cgroup2 path, else the device
 * the socket-binding program on its cgroup (or an ancestor) binds to, or '' when it is in none. Throws VrfError when the process cannot be looked up (e.g. it has exited).
 */
export function identify(pid: number | 'self' = 'self'): string {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'No such file or directory' : e.message;
    throw new VrfError(`Failed to lookup vrf association: ${why}`, errnoOf(err));
  }
  for (const line of text.split('\n')) {
    if (!line.includes('::/')) continue; // only the controller-less (cgroup2) line
    const at = line.indexOf('/vrf/');
    if (at >= 0) return line.slice(at + '/vrf/'.length);
    // Not a vrf/NAME directory: a systemd unit bound with `service bind` carries the program
    // on its own cgroup. Ask the kernel which device it binds to (needs CAP_SYS_ADMIN).
    try {
      return cgroupBinding(line.slice(line.indexOf('::/') + 2))?.device ?? '';
    } catch {
      return '';
    }
  }
  return '';
}

export interface VrfProcess {
  pid: number;
  /** The Name: of /proc/PID/status; undefined when the process is gone. */
  comm: string | undefined;
}

function commandName(pid: number): string | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((l) => l.startsWith('Name:'));
    return line === undefined ? '' : line.slice('Name:'.length).trimStart();
  } catch {
    return undefined;
  }
}

function readProcs(file: string): VrfProcess[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // no such VRF cgroup here: nothing to show
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const pid = Number(l);
      return { pid, comm: commandName(pid) };
    });
}

export interface PidsOptions {
  /** Refuse names that are not a VRF device in this netns, as `ip vrf pids` does (default true). */
  requireVrf?: boolean;
  /** Directory to search (default: the cgroup2 mount). */
  root?: string;
}

/** A vrf/NAME cgroup directory and the processes in it. */
export interface VrfCgroup {
  /** NAME. */
  vrf: string;
  /** Its absolute path. */
  path: string;
  /** The directory holding vrf/: the cgroup a process leaves the VRF to. */
  base: string;
  pids: VrfProcess[];
}

/**
 * Every vrf/NAME cgroup under root (or only vrf/`only`) whose vrf/ directory sits in a directory
 * `ours` accepts by its base name, with its processes (none when it has none or is not there).
 * vrf/ directories are not descended into: iproute2's layout, which `vrf pids` and doctor share.
 */
export function vrfCgroups(root: string, ours: (baseName: string) => boolean, only?: string): VrfCgroup[] {
  const found: VrfCgroup[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!entry.isDirectory()) continue;
      const path = posix.join(dir, entry.name);
      if (entry.name !== 'vrf') walk(path);
      else if (ours(posix.basename(dir))) {
        for (const vrf of only !== undefined ? [only] : subdirectories(path)) {
          found.push({ vrf, path: posix.join(path, vrf), base: dir, pids: readProcs(posix.join(path, vrf, 'cgroup.procs')) });
        }
      }
    }
  };
  walk(root);
  return found;
}

function subdirectories(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return [];
  }
}

/**
 * The processes in VRF `name`: every <dir>/vrf/<name>/cgroup.procs under the cgroup2 tree.
 * In a named netns only the <netns>-ns/vrf/ directories count; in any other netns all do
 * (iproute2's rule).
 */
export function pids(name: string, options: PidsOptions = {}): VrfProcess[] {
  validateVrfName(name);
  if (options.requireVrf !== false) vrfDeviceIndex(name);
  const root = options.root ?? ensureCgroup2Mount();
  const nsDir = netnsCgroupDir(currentNetnsName());
  return vrfCgroups(root, (base) => nsDir === '' || base === nsDir, name).flatMap((c) => c.pids);
}

/** `ip vrf pids` output: "%5s  %s" per process, "<terminated?>" for one that is gone. */
export function formatPids(list: readonly VrfProcess[]): string {
  return list.map((p) => `${String(p.pid).padStart(5)}  ${p.comm ?? '<terminated?>'}\n`).join('');
}
