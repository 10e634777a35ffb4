// `vrfctl apply FILE [--prune] [--wait-ports SECONDS]`: make the host match a YAML file of VRFs, routes, rules and
// sysctls. The file is checked whole first (exit 2, nothing read or changed). The steps are
// those `vrfctl diff` prints, additions before removals; each is printed once done. If one
// fails, every completed step is undone last-first and the failure names the step (exit 1).
// Routes and rules apply makes carry protocol 240 ("vrfctl"), VRFs it makes the alias
// "managed by vrfctl apply": --prune removes only those when the file no longer lists them.
// With --dry-run, apply prints the plan as diff does and changes nothing.
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { describeFailure } from '../errors.js';
import { Session } from '../session.js';
import { loadDesired, parseApplyArgs, planFor, stepJson } from '../apply/load.js';
import { ApplyFailure, executePlan } from '../apply/execute.js';

function reason(err: unknown): string {
  return describeFailure(err, '').line.replace(/^vrfctl: /, '');
}

export function run(args: string[], opts: GlobalOptions): number {
  const { file, prune, waitPorts } = parseApplyArgs('apply', args);
  const desired = loadDesired('apply', file);
  if (typeof desired === 'number') return desired;
  // The steps send their own requests (and write sysctls): a dry run only plans.
  const session = new Session({ ...opts, dryRun: false });
  try {
    const steps = planFor('apply', session, desired, opts, prune, waitPorts);
    if (typeof steps === 'number') return steps;
    if (steps.length === 0) {
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
    try {
      executePlan(session, steps, ctx, (st) => {
        if (!opts.json) writeLine(`${st.sign} ${st.text}`);
      });
    } catch (err) {
      if (!(err instanceof ApplyFailure)) throw err;
      process.stderr.write(`vrfctl: apply: step ${err.stepNumber} (${err.step.title}): ${reason(err.cause)}\n`);
      for (const u of err.undoFailures) process.stderr.write(`vrfctl: apply: could not undo "${u.step.title}": ${reason(u.error)}\n`);
      const undone = err.rolledBack - err.undoFailures.length;
      process.stderr.write(`vrfctl: apply: rolled back ${undone} of ${err.rolledBack} completed step${err.rolledBack === 1 ? '' : 's'}; ` +
        `${err.undoFailures.length === 0 ? 'the host is as it was' : 'the host is NOT fully back as it was'}\n`);
      return 1;
    }
    if (opts.json) printJson(steps.map(stepJson), opts);
    else process.stderr.write(`vrfctl: apply: ${steps.length} change${steps.length === 1 ? '' : 's'} applied\n`);
    return 0;
  } finally {
    session.close();
  }
}
