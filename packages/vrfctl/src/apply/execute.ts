// Runs a plan's steps in order. When one fails, the completed steps are undone last-first and
// the failure names the step ("step 4 (enslave eth0 to mgmt)"); undo failures are reported too,
// since they mean the host is not back where it was.
import type { Session } from '../session.js';
import type { Step, StepContext, Undo } from './steps.js';

export class ApplyFailure extends Error {
  override readonly name = 'ApplyFailure';
  constructor(
    /** 1-based. */
    readonly stepNumber: number,
    readonly step: Step,
    override readonly cause: unknown,
    readonly rolledBack: number,
    readonly undoFailures: Array<{ step: Step; error: unknown }>,
  ) {
    super(`step ${stepNumber} (${step.title}): ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface PlanHooks {
  /** Before a step sends anything (the journal entry). */
  starting?(n: number, step: Step): void;
  /** After a step completed. */
  done?(n: number, step: Step): void;
}

export function executePlan(session: Session, steps: readonly Step[], ctx: StepContext, hooks: PlanHooks = {}): void {
  const done: Array<{ step: Step; undo: Undo }> = [];
  for (const [i, step] of steps.entries()) {
    hooks.starting?.(i + 1, step);
    try {
      done.push({ step, undo: session.run(step.run(ctx)) });
    } catch (err) {
      const undoFailures: Array<{ step: Step; error: unknown }> = [];
      for (const d of [...done].reverse()) {
        try {
          session.run(d.undo());
        } catch (error) {
          undoFailures.push({ step: d.step, error });
        }
      }
      throw new ApplyFailure(i + 1, step, err, done.length, undoFailures);
    }
    hooks.done?.(i + 1, step);
  }
}
