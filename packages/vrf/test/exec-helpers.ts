// Shared by the exec/identify tests (host and lab): run TypeScript snippets against the
// package source in a fresh Node process, and make throwaway cgroups.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findCgroup2Mount } from '@vrfctl/vrf';

// The compiled package (tests run after the build, from the repository root): a TypeScript
// loader would cost seconds per child process in the lab guest.
const DIST = pathToFileURL(posix.join(process.cwd(), 'packages/vrf/dist/index.js')).href;
const NODE_ARGS = ['--no-warnings', '--input-type=module'];

/** argv running `body` in Node with the package imported as `vrf`. */
export function tsArgv(body: string): string[] {
  return [process.execPath, ...NODE_ARGS, '-e', `import * as vrf from ${JSON.stringify(DIST)};\n${body}`];
}

export interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run argv to completion (all three stdio piped, so only those are inherited). */
export function run(argv: readonly string[]): Ran {
  const [cmd, ...args] = argv as [string, ...string[]];
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], timeout: 300_000 }); // generous: the lab guest runs under TCG
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function sh(script: string): Ran {
  return run(['sh', '-c', script]);
}

/** Start argv in cgroup `dir` (joined by the shell before it execs argv). */
export function startIn(dir: string, argv: readonly string[]): ChildProcess {
  return spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** First line the child prints on stdout. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing a line`)));
  });
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** Wait until a pid's /proc/PID/cgroup shows it left `before` (the exec'd shell joined). */
export async function waitForCgroup(pid: number, want: (line: string) => boolean): Promise<void> {
  // Generous: in the lab guest (TCG) a Node child needs seconds to start before it joins.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const line = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').find((l) => l.startsWith('0::'));
      if (line !== undefined && want(line)) return;
    } catch {
      // not there yet
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`pid ${pid} never reached the expected cgroup`);
}

let counter = 0;

/** A fresh directory directly under the cgroup2 mount; `remove()` deletes its subtree. */
export function throwawayCgroup(): { dir: string; remove: () => void } {
  const mnt = findCgroup2Mount();
  if (mnt === undefined) throw new Error('no cgroup2 mount');
  const dir = posix.join(mnt, `cg-vrfctl-test-${process.pid}-${counter++}`);
  mkdirSync(dir);
  const remove = (): void => {
    if (!exists(dir)) return;
    const rm = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) rm(posix.join(d, e.name));
      rmdirSync(d);
    };
    rm(dir);
  };
  return { dir, remove };
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The descriptors a command started by this process inherits anyway (the baseline). */
export function inheritedFds(): string {
  return run(['ls', '/proc/self/fd']).stdout;
}
