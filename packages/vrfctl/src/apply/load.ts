// The shared front of apply and diff: read and check the file, read the kernel, plan.
import { printable } from '@vrfctl/netlink';
import { EXIT_USAGE, UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import type { Session } from '../session.js';
import { numberFlag, parseCommandFlags } from '../batch-flags.js';
import { SchemaError, type Desired } from './schema.js';
import { readSource } from './formats/read.js';
import { readCurrent, type Current } from './state.js';
import { computePlan, PlanError } from './plan.js';
import type { Step } from './steps.js';

export interface ApplyArgs {
  file: string;
  prune: boolean;
  /** With --prune: a file that declares nothing may remove everything apply made. */
  force: boolean;
  /** Seconds to wait for the file's ports to appear (0: not at all). */
  waitPorts: number;
}

export function parseApplyArgs(command: string, args: readonly string[]): ApplyArgs {
  const { words, flags } = parseCommandFlags(args, { switches: ['prune', 'force'], valued: ['wait-ports'] });
  if (words.length !== 1) throw new UsageError(`usage: vrfctl ${command} FILE [--prune [--force]] [--wait-ports SECONDS]`);
  return { file: words[0], prune: flags.has('prune'), force: flags.has('force'), waitPorts: numberFlag(flags, 'wait-ports', 0, 3600, 0) };
}

/** A file that declares nothing at all: with --prune, a wipe of everything apply made. */
export function declaresNothing(d: Desired): boolean {
  return d.vrfs.length === 0 && d.routes.length === 0 && d.rules.length === 0 && d.sysctls.length === 0;
}

/**
 * The checked file (ours, netplan's or a networkd directory); a schema problem is printed (all
 * of them, one per line). Both an unreadable file and a schema problem exit 1 (EXIT_USAGE, the
 * input is at fault: nothing was sent), as ip -batch does for a missing file.
 */
export function loadDesired(command: string, file: string): Desired | number {
  try {
    return readSource(file).desired;
  } catch (err) {
    if (err instanceof SchemaError) {
      for (const p of err.problems) process.stderr.write(`vrfctl: ${command}: ${p}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`vrfctl: ${command}: ${printable(`${file}: ${(err as Error).message}`, 160)}\n`);
    return EXIT_USAGE;
  }
}

/** Steps for the file against the kernel now; a PlanError (found before anything is sent) is printed and exits 1. */
export function planFor(
  command: string, session: Session, desired: Desired, opts: GlobalOptions, prune: boolean, carried?: ReadonlySet<string>, waitPorts = 0,
): Step[] | number {
  let current = session.run(readCurrent(desired, opts.netns));
  // At boot a port may appear (udev, a driver, another unit) after we start: wait for it.
  const deadline = Date.now() + waitPorts * 1000;
  for (let missing = missingPorts(desired, current); missing.length > 0 && Date.now() < deadline; missing = missingPorts(desired, current)) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    current = session.run(readCurrent(desired, opts.netns));
  }
  try {
    return computePlan(desired, current, { prune, ...(carried ? { carried } : {}) });
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    process.stderr.write(`vrfctl: ${command}: ${err.message}\n`);
    return EXIT_USAGE;
  }
}

export function stepJson(s: Step): Record<string, string> {
  return { change: s.sign === '+' ? 'add' : s.sign === '-' ? 'remove' : 'modify', kind: s.kind, text: s.text };
}

/** The file's ports that no link has the name of (yet). */
function missingPorts(desired: Desired, current: Current): string[] {
  const names = new Set(current.links.map((l) => l.ifname));
  return desired.vrfs.flatMap((v) => v.ports).filter((p) => !names.has(p));
}
