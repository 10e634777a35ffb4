import { UNSAFE_TEXT, printable } from '@vrfctl/netlink';

// VRF names. A VRF name becomes a path component under the cgroup2 tree, so validation is
// also what keeps `vrf exec` from reaching outside <cgroup>/vrf/.

/** Failure of a VRF operation; `errno` is set when a system call said why. */
export class VrfError extends Error {
  readonly errno: number | undefined;
  constructor(message: string, errno?: number) {
    super(message);
    this.name = 'VrfError';
    this.errno = errno;
  }
}

/** IFNAMSIZ - 1: the longest device name the kernel accepts. */
export const VRF_NAME_MAX = 15;

/** The name iproute2 reserves for "no VRF" (`ip vrf exec default CMD`). */
export const DEFAULT_VRF = 'default';

/**
 * A device name usable as a VRF: 1..15 bytes, no '/', ':', NUL or whitespace, not '.' or
 * '..' (the kernel's dev_valid_name). Returns the name; throws VrfError otherwise.
 */
export function validateVrfName(name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > VRF_NAME_MAX) {
    throw new VrfError(`invalid VRF name "${printable(name)}": must be 1 to ${VRF_NAME_MAX} bytes`);
  }
  if (UNSAFE_TEXT.test(name)) throw new VrfError(`invalid VRF name "${printable(name)}": no control or bidi characters, valid UTF-8 only`);
  // One component, never a traversal: these are the only ways a name could leave vrf/.
  // ':' cannot be in a device name either (alias syntax), so no VRF can have one.
  if (name === '.' || name === '..' || /[/:\0\s]/u.test(name)) {
    throw new VrfError(`invalid VRF name "${printable(name)}": no '/', ':', NUL, whitespace, '.' or '..'`);
  }
  return name;
}

/** validateVrfName, and also refuse "default", which `vrf exec` uses to mean "leave the VRF". */
export function validateNewVrfName(name: string): string {
  validateVrfName(name);
  if (name === DEFAULT_VRF) throw new VrfError(`invalid VRF name "${name}": reserved (ip vrf exec default means no VRF)`);
  return name;
}
