// Little-endian reads by hand, for the hot paths of large dumps and batches: the caller has
// checked the bounds once, and Buffer's readers validate their arguments on every call.

export function readU32LE(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000;
}

export function readU16LE(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
