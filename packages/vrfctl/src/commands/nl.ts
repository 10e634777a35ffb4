import { UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';

export function run(args: string[], _opts: GlobalOptions): number {
  throw new UsageError(`route ${args[0] ?? ''}: not yet available`);
}
