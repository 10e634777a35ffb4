// `vrfctl doctor [VRF…] [--fix]`: read the host's VRF state once and report what breaks VRFs
// (see src/doctor/). Exit 0 when no error was found (warnings and notes allowed),
// EXIT_DOCTOR_ERRORS (3) when errors were found; EXIT_USAGE / EXIT_REFUSED as every command
// when doctor itself could not run. --fix applies the safe fixes through apply's executor
// (rollback on failure), then checks again and reports what is left.
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { describeFailure, EXIT_REFUSED, UsageError } from '../errors.js';
import { parseCommandFlags } from '../batch-flags.js';
import { Session } from '../session.js';
import { lockHost } from '../host-lock.js';
import { ApplyFailure, executePlan } from '../apply/execute.js';
import { EXIT_DOCTOR_ERRORS, counts, fixSteps, formatJson, formatText, gatherState, runChecks, vrfsOf, type Finding, type GatherOptions } from '../doctor/index.js';

function reason(err: unknown): string {
  return describeFailure(err, '').line.replace(/^vrfctl: /, '');
}

export interface DoctorArgs {
  vrfs: string[];
  fix: boolean;
}

export function parseDoctorArgs(args: readonly string[]): DoctorArgs {
  const { words, flags } = parseCommandFlags(args, { switches: ['fix'] });
  return { vrfs: words, fix: flags.has('fix') };
}

/** The command with its inputs open (paths of resolv.conf, rt_tables, cgroups), for tests. */
export function runDoctor(args: string[], opts: GlobalOptions, gather: Omit<GatherOptions, 'netns'> = {}): number {
  const { vrfs, fix } = parseDoctorArgs(args);
  const session = new Session({ ...opts, dryRun: false });
  // --fix plans its fixes from what it read: no other vrfctl may change the host in between.
  const lock = fix ? lockHost('doctor', opts) : undefined;
  try {
    const read = () => gatherState(session, { ...gather, ...(opts.netns !== undefined ? { netns: opts.netns } : {}) });
    let state = read();
    const known = new Set(vrfsOf(state).map((v) => v.name));
    for (const v of vrfs) if (!known.has(v)) throw new UsageError(`"${v}" is not a VRF here${known.size ? ` (VRFs: ${[...known].join(', ')})` : ' (there are none)'}`);
    let findings = runChecks(state, vrfs);
    let fixed: string[] | undefined;
    if (fix) {
      const steps = fixSteps(findings);
      if (opts.dryRun) {
        for (const st of steps) process.stderr.write(`vrfctl: doctor: would fix: ${st.sign} ${st.text}\n`);
      } else if (steps.length > 0) {
        const ctx = { ...(opts.netns !== undefined ? { netns: opts.netns } : {}), note: (m: string) => process.stderr.write(`vrfctl: doctor: warning: ${m}\n`) };
        fixed = [];
        try {
          executePlan(session, steps, ctx, { done: (_n, st) => fixed!.push(`${st.sign} ${st.text}`) });
        } catch (err) {
          if (!(err instanceof ApplyFailure)) throw err;
          process.stderr.write(`vrfctl: doctor: fix ${err.stepNumber} (${err.step.title}): ${reason(err.cause)}\n`);
          for (const u of err.undoFailures) process.stderr.write(`vrfctl: doctor: could not undo "${u.step.title}": ${reason(u.error)}\n`);
          process.stderr.write(`vrfctl: doctor: rolled back ${err.rolledBack - err.undoFailures.length} of ${err.rolledBack} completed fixes; ` +
            `${err.undoFailures.length === 0 ? 'the host is as it was' : 'the host is NOT fully back as it was'}\n`);
          return EXIT_REFUSED;
        }
        state = read();
        findings = runChecks(state, vrfs);
      }
    }
    if (opts.json) printJson(formatJson(findings, fixed), opts);
    else {
      for (const f of fixed ?? []) writeLine(`fixed: ${f}`);
      for (const line of formatText(findings)) writeLine(line);
    }
    return counts(findings).error > 0 ? EXIT_DOCTOR_ERRORS : 0;
  } finally {
    lock?.release();
    session.close();
  }
}

/** The findings for a host or netns, without printing: for tests and other tools. */
export function diagnose(gather: GatherOptions = {}, only: readonly string[] = []): Finding[] {
  const session = new Session({ json: false, pretty: false, dryRun: false, hex: false, debug: false, ...(gather.netns !== undefined ? { netns: gather.netns } : {}) });
  try {
    return runChecks(gatherState(session, gather), only);
  } finally {
    session.close();
  }
}

export function run(args: string[], opts: GlobalOptions): number {
  return runDoctor(args, opts);
}
