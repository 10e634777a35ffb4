// Input checks that run before anything is sent: bad input changes nothing.
import { ArgumentError } from '@vrfctl/iproute2';
import { VrfError, validateNewVrfName, validateVrfName } from './names.js';

export { ArgumentError };

/** Tables a VRF must not use: unspec (0), default (253), main (254), local (255). */
export const RESERVED_TABLES: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [253, 'default'],
  [254, 'main'],
  [255, 'local'],
]);
export const MAX_TABLE = 0xffffffff;

/** A table id for a new VRF: an integer 1…2³²−1, not 253/254/255. Throws ArgumentError. */
export function validateVrfTable(table: number | string): number {
  const n = typeof table === 'number' ? table : /^(0x[0-9a-fA-F]+|\d+)$/.test(table) ? Number(table) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_TABLE) {
    throw new ArgumentError(`invalid table "${table}": must be a number from 1 to ${MAX_TABLE}`);
  }
  const reserved = RESERVED_TABLES.get(n);
  if (reserved !== undefined) throw new ArgumentError(`invalid table ${n}: reserved for the "${reserved}" table`);
  return n;
}

/** The VRF-name rules of the exec module (which shares them with cgroup paths), as ArgumentError. */
export function checkNewVrfName(name: string): string {
  return asArgumentError(() => validateNewVrfName(name));
}

export function checkVrfName(name: string): string {
  return asArgumentError(() => validateVrfName(name));
}

function asArgumentError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof VrfError) throw new ArgumentError(err.message);
    throw err;
  }
}
