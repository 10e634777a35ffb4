// --flags of the batch, monitor, apply and diff commands: "--name", "--name=value" or
// "--name value" for the ones that take a value. Anything else is a positional word.
import { UsageError } from './errors.js';

export interface FlagSpec {
  /** Flags without a value. */
  switches?: readonly string[];
  /** Flags with a value. */
  valued?: readonly string[];
}

export function parseCommandFlags(args: readonly string[], spec: FlagSpec): { words: string[]; flags: Map<string, string | true> } {
  const switches = spec.switches ?? [];
  const valued = spec.valued ?? [];
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--') || a.length === 2) {
      words.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (switches.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      const known = [...switches, ...valued].map((k) => `--${k}`).join(' ');
      throw new UsageError(`unknown option "--${name}"${known ? ` (known: ${known})` : ''}`);
    }
  }
  return { words, flags };
}

/** A whole number flag within [min, max], or the default. */
export function numberFlag(flags: Map<string, string | true>, name: string, min: number, max: number, byDefault: number): number {
  const v = flags.get(name);
  if (v === undefined) return byDefault;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`invalid --${name} "${v === true ? '' : v}": a number from ${min} to ${max}`);
  return n;
}
