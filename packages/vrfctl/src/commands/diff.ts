// `vrfctl diff FILE [--prune]`: the steps `vrfctl apply` would take, in order, one per line
// ("+ vrf mgmt table 1000", "~ port eth0 master mgmt", "- route … table 1000"). Changes nothing.
// Exit 0 whether or not there are changes (2 for a bad file, 1 when the host cannot match it);
// "no changes" says the host already matches.
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { loadDesired, parseApplyArgs, planFor, stepJson } from '../apply/load.js';
import { describeInterrupted, journalPath, readInterrupted } from '../apply/journal.js';

export function run(args: string[], opts: GlobalOptions): number {
  const { file, prune } = parseApplyArgs('diff', args);
  const desired = loadDesired('diff', file);
  if (typeof desired === 'number') return desired;
  return withSession({ ...opts, dryRun: false }, (s) => {
    // A killed apply's half-built VRFs are apply's own: the diff is what the next apply will do.
    const interrupted = readInterrupted(journalPath(opts.netns));
    if (interrupted) process.stderr.write(`vrfctl: diff: ${describeInterrupted(interrupted)}; apply will finish it\n`);
    const steps = planFor('diff', s, desired, opts, prune, new Set(interrupted?.vrfs ?? []));
    if (typeof steps === 'number') return steps;
    if (opts.json) printJson(steps.map(stepJson), opts);
    else if (steps.length === 0) writeLine('no changes');
    else for (const st of steps) writeLine(`${st.sign} ${st.text}`);
    return 0;
  });
}
