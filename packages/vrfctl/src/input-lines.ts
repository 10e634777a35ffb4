// Reading line-oriented input (batch files, `nl` input) in blocks, bounded: a line longer than the
// limit, or more input than the limit in all, is refused as a UsageError naming the line before
// it fills memory (`batch /dev/zero`, `nl decode < /dev/zero` never grow).
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface LineLimits {
  /** The longest line taken, in characters (without its newline). */
  lineLength: number;
  /** The most input taken in all, in bytes (default: no limit beyond the line's). */
  bytes?: number;
}

// 32 KiB: a block's text (up to 64 KiB as UTF-16) stays a young-generation string; 1 MiB strings
// went to the large-object space, which only a full GC frees: reading a 1M-line batch file
// peaked at 140 MB RSS that way, 70 MB with these.
const BLOCK = 32 << 10;

/** One read of up to buf.length bytes (0 at the end), waiting out EAGAIN on a non-blocking stdin. */
export function readBlock(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EOF') return 0;
      // A non-blocking stdin (a pipe Node already touched): wait a little and read again.
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** The refusal of a line past the limit (1-based line number). */
export function lineTooLong(line: number, limit: number): UsageError {
  return new UsageError(`line ${line}: longer than ${limit} characters`);
}

/**
 * Every physical line of path ('-' is standard input) in order, without its '\n' (a '\r' before
 * it is kept), the last one even without a newline. Never holds more than a block and a line.
 */
export function* inputLines(path: string, limits: LineLimits): Generator<string> {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  const buf = Buffer.allocUnsafe(BLOCK);
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let line = 0;
  let total = 0;
  try {
    for (;;) {
      const n = readBlock(fd, buf);
      if (n === 0) break;
      total += n;
      if (limits.bytes !== undefined && total > limits.bytes) throw new UsageError(`input larger than ${limits.bytes} bytes`);
      const chunk = carry + decoder.decode(buf.subarray(0, n), { stream: true });
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        line++;
        if (nl - start > limits.lineLength) throw lineTooLong(line, limits.lineLength);
        yield chunk.slice(start, nl);
        start = nl + 1;
      }
      carry = chunk.slice(start);
      // One line without an end in sight: refused before it fills memory.
      if (carry.length > limits.lineLength) throw lineTooLong(line + 1, limits.lineLength);
    }
    carry += decoder.decode();
    if (carry !== '') yield carry;
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
