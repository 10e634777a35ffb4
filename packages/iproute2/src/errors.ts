/**
 * A device name that resolves to no link. The message is iproute2's own ("Cannot find device
 * "X""), and like `ip` the CLI exits 1 for it. The one error for this fault in every package.
 */
export class DeviceNotFoundError extends Error {
  override readonly name = 'DeviceNotFoundError';
  constructor(readonly device: string) {
    super(`Cannot find device "${device}"`);
  }
}
