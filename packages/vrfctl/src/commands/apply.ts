// `vrfctl apply FILE [--prune [--force]] [--wait-ports SECONDS]`: make the host match a YAML file of VRFs, routes, rules
// and sysctls. The file is checked whole first (nothing read or changed if it is bad). The steps
// are those `vrfctl diff` prints, additions before removals; each is printed once done. If one
// fails, every completed step is undone last-first and the failure names the step.
// Routes and rules apply makes carry protocol 240 ("vrfctl"), VRFs it makes the alias
// "managed by vrfctl apply": --prune removes only those when the file no longer lists them.
// A run holds the host lock (/run/vrfctl/lock) and keeps a journal (/run/vrfctl/apply-NS.journal):
// a run that finds the journal of a killed one says so and finishes that work first.
// With --dry-run, apply prints the plan as diff does and changes nothing.
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { EXIT_REFUSED, EXIT_USAGE, describeFailure } from '../errors.js';
import { Session } from '../session.js';
import { lockHost } from '../host-lock.js';
import { declaresNothing, loadDesired, parseApplyArgs, planFor, stepJson } from '../apply/load.js';
import { ApplyFailure, executePlan } from '../apply/execute.js';
import { Journal, describeInterrupted, journalPath, readInterrupted } from '../apply/journal.js';

function reason(err: unknown): string {
  return describeFailure(err, '').line.replace(/^vrfctl: /, '');
}

export function run(args: string[], opts: GlobalOptions): number {
  const { file, prune, force, waitPorts } = parseApplyArgs('apply', args);
  const desired = loadDesired('apply', file);
  if (typeof desired === 'number') return desired;
  if (prune && !force && declaresNothing(desired)) {
    process.stderr.write(`vrfctl: apply: ${file} declares nothing: --prune would remove every VRF, route and rule apply made (add --force to mean it)\n`);
    return EXIT_USAGE;
  }
  // The steps send their own requests (and write sysctls): a dry run only plans.
  const session = new Session({ ...opts, dryRun: false });
  // Planning and changing under one lock: no other vrfctl changes what the plan was made from.
  const lock = lockHost('apply', opts);
  try {
    const path = journalPath(opts.netns);
    const interrupted = readInterrupted(path);
    if (interrupted) process.stderr.write(`vrfctl: apply: ${describeInterrupted(interrupted)}; ${opts.dryRun ? 'apply will finish it' : 'finishing it'}\n`);
    const carried = new Set(interrupted?.vrfs ?? []);
    const steps = planFor('apply', session, desired, opts, prune, carried, waitPorts);
    if (typeof steps === 'number') return steps;
    if (steps.length === 0) {
      if (interrupted && !opts.dryRun) new Journal(path, file, 0, []).close();
      if (opts.json) printJson([], opts);
      else writeLine('no changes');
      return 0;
    }
    if (opts.dryRun) {
      if (opts.json) printJson(steps.map(stepJson), opts);
      else for (const st of steps) writeLine(`${st.sign} ${st.text}`);
      process.stderr.write('vrfctl: apply: dry run: nothing changed\n');
      return 0;
    }
    const ctx = { netns: opts.netns, note: (m: string) => process.stderr.write(`vrfctl: apply: warning: ${m}\n`) };
    const journal = new Journal(path, file, steps.length, [...carried]);
    try {
      executePlan(session, steps, ctx, {
        starting: (n, st) => journal.starting(n, st),
        done: (n, st) => {
          journal.finished(n);
          if (!opts.json) writeLine(`${st.sign} ${st.text}`);
        },
      });
    } catch (err) {
      if (!(err instanceof ApplyFailure)) throw err;
      if (err.undoFailures.length === 0) journal.close();
      else journal.keep();
      process.stderr.write(`vrfctl: apply: step ${err.stepNumber} (${err.step.title}): ${reason(err.cause)}\n`);
      for (const u of err.undoFailures) process.stderr.write(`vrfctl: apply: could not undo "${u.step.title}": ${reason(u.error)}\n`);
      const undone = err.rolledBack - err.undoFailures.length;
      process.stderr.write(`vrfctl: apply: rolled back ${undone} of ${err.rolledBack} completed step${err.rolledBack === 1 ? '' : 's'}; ` +
        `${err.undoFailures.length === 0 ? 'the host is as it was' : 'the host is NOT fully back as it was (the next apply finishes from the journal)'}\n`);
      return EXIT_REFUSED;
    }
    journal.close();
    if (opts.json) printJson(steps.map(stepJson), opts);
    else process.stderr.write(`vrfctl: apply: ${steps.length} change${steps.length === 1 ? '' : 's'} applied\n`);
    return 0;
  } finally {
    lock?.release();
    session.close();
  }
}
