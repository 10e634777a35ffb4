import { DecodeError } from './errors.js';
import { printable } from './printable.js';

/** Hex text (whitespace, colons and a 0x prefix tolerated) to bytes; DecodeError if not hex. */
export function fromHex(text: string): Buffer {
  const clean = text.trim().replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0) throw new DecodeError('odd number of hex digits', clean.length);
  const bad = clean.search(/[^0-9a-fA-F]/);
  if (bad !== -1) throw new DecodeError(`not a hex digit "${printable(clean[bad] ?? '')}"`, bad);
  return Buffer.from(clean, 'hex');
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
