import { DecodeError, NetlinkError } from '@vrfctl/netlink';
import { ArgumentError } from '@vrfctl/iproute2';

/** Bad command-line input: exit 2, one line naming the argument at fault. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The system refused something that is not a netlink error (a file, a missing netns). Exit 1. */
export class SystemRefusal extends Error {
  override readonly name = 'SystemRefusal';
}

export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** One line for the user, and the exit code, for anything a command can throw. */
export function describeFailure(err: unknown, what: string): { line: string; code: number } {
  const prefix = what ? `vrfctl: ${what}: ` : 'vrfctl: ';
  if (err instanceof UsageError || err instanceof ArgumentError) return { line: prefix + err.message, code: EXIT_USAGE };
  if (err instanceof NetlinkError) {
    const hint = err.code === 'EPERM' ? ' (this change needs CAP_NET_ADMIN: run as root)' : '';
    // detail: the kernel's words without the operation, which the prefix already names.
    return { line: prefix + err.detail + hint, code: EXIT_REFUSED };
  }
  if (err instanceof DecodeError) return { line: `${prefix}malformed netlink data: ${err.message}`, code: EXIT_REFUSED };
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return { line: prefix + (code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message), code: EXIT_REFUSED };
  }
  return { line: prefix + String(err), code: EXIT_REFUSED };
}

/** Runs body, turning the library's argument errors (the user's input) into usage errors. */
export function asUsage<T>(body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof ArgumentError) throw new UsageError(err.message);
    throw err;
  }
}
