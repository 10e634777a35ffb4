// Shared fast-check settings: reproducible by default, tunable from the environment.
//   FUZZ_RUNS  number of runs per property (default 500, keeps the suite at a few seconds)
//   FC_SEED    seed (default fixed, so CI is deterministic; a failure prints seed and path)
import type { Parameters } from 'fast-check';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return n;
}

export const FUZZ_RUNS = intFromEnv('FUZZ_RUNS', 500);
export const FC_SEED = intFromEnv('FC_SEED', 0x5eed_2024);

export function fcParams<T>(extra: Parameters<T> = {}): Parameters<T> {
  return { numRuns: FUZZ_RUNS, seed: FC_SEED, ...extra };
}

/** A property's own run count, scaled by FUZZ_RUNS relative to the default (for `pnpm fuzz`). */
export function scaled(runs: number): number {
  return Math.max(1, Math.round((runs * FUZZ_RUNS) / 500));
}
