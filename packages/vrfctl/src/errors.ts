import { Errno, DecodeError, NetlinkError } from '@vrfctl/netlink';
import { ArgumentError, DeviceNotFoundError } from '@vrfctl/iproute2';

/** Bad command-line input: exit 1 (EXIT_USAGE), one line naming the argument at fault. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The system refused something that is not a netlink error (a sysctl file, a cgroup). Exit 2. */
export class SystemRefusal extends Error {
  override readonly name = 'SystemRefusal';
}

// iproute2's convention, which scripts test with `$? -eq 2`: 0 ok; 1 refused before anything
// was sent (bad input, unknown names, usage; ip's 255 is our 1 too); 2 the kernel (or another
// system call made for the change) refused.
export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_REFUSED = 2;
/** `ip -batch` exits 1 when any line failed, whatever the reason; so does `vrfctl batch`. */
export const EXIT_BATCH_FAILED = 1;

/**
 * Whether a failure happened before anything was sent: the input or a name is at fault. The
 * route, socket and vrf packages' errors are told by name, so that main.ts (which loads this
 * file for every command) does not load those packages before a command needs them.
 */
function refusedBeforeSending(err: unknown): boolean {
  if (err instanceof UsageError || err instanceof ArgumentError || err instanceof DeviceNotFoundError) return true;
  if (!(err instanceof Error)) return false;
  const fields = err as Error & { errno?: unknown; syscall?: unknown; code?: unknown };
  switch (err.name) {
    case 'RangeError':
      return true;
    // VRF checks made by reading first (no such VRF, not a VRF port, bad name); a VRF that exists
    // already or a table in use are what the kernel would refuse, so they stay exit 2 as in ip.
    case 'VrfError':
      return fields.errno === undefined || fields.errno === Errno.ENODEV || fields.errno === Errno.EINVAL;
    // A missing network namespace: ip exits 255 (our 1).
    case 'SystemError':
      return typeof fields.syscall === 'string' && fields.syscall.startsWith('open(');
    default:
      // A missing input file (batch, apply): ip -batch exits 255 (our 1) too.
      return fields.code === 'ENOENT' && fields.syscall === 'open';
  }
}

/** One line for the user, and the exit code, for anything a command can throw. */
export function describeFailure(err: unknown, what: string): { line: string; code: number } {
  const prefix = what ? `vrfctl: ${what}: ` : 'vrfctl: ';
  const code = refusedBeforeSending(err) ? EXIT_USAGE : EXIT_REFUSED;
  if (err instanceof NetlinkError) {
    const hint = err.code === 'EPERM' ? ' (this change needs CAP_NET_ADMIN: run as root)' : '';
    // detail: the kernel's words without the operation, which the prefix already names.
    return { line: prefix + err.detail + hint, code };
  }
  if (err instanceof DecodeError) return { line: `${prefix}malformed netlink data: ${err.message}`, code };
  if (err instanceof Error) {
    const errno = (err as NodeJS.ErrnoException).code;
    return { line: prefix + (errno && !err.message.includes(errno) ? `${errno}: ${err.message}` : err.message), code };
  }
  return { line: prefix + String(err), code };
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
