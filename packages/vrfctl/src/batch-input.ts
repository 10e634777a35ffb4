// Reading a batch file: logical lines (a trailing backslash continues a line) split into words
// the way `ip -batch` does (quotes group words, `#` starts a comment), read in blocks so that a
// file of 100k commands is never held twice in memory.
import { closeSync, openSync, readSync } from 'node:fs';
import { UsageError } from './errors.js';

export interface BatchLine {
  /** 1-based number of the first physical line. */
  line: number;
  /** The command as written (continuations joined), for messages. */
  text: string;
  words: string[];
}

/** Words of one line: whitespace separates, '…' and "…" group, backslash escapes, # comments. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === '#' && !inWord) {
      break;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (quote) throw new UsageError(`unterminated ${quote} quote`);
  if (inWord) words.push(word);
  return words;
}

const BLOCK = 1 << 20;

function readBlock(fd: number, buf: Buffer): number {
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

/** The longest logical line a batch takes (continuations joined): far above any command, far below memory trouble. */
export const BATCH_LINE_MAX = 65536;

/**
 * Every non-empty logical line of the file ('-' is standard input), in order, read in blocks:
 * the file is never held whole. A word error (an open quote), a line past BATCH_LINE_MAX and a
 * last line continued by a trailing backslash are UsageErrors naming the line.
 */
export function* batchLines(path: string): Generator<BatchLine> {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  const buf = Buffer.allocUnsafe(BLOCK);
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let physical = 0;
  let pending = '';
  let pendingLine = 0;
  const take = (raw: string): BatchLine | undefined => {
    physical++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending === '') pendingLine = physical;
    if (pending.length + line.length > BATCH_LINE_MAX) throw new UsageError(`line ${pendingLine}: longer than ${BATCH_LINE_MAX} characters`);
    if (line.endsWith('\\') && !line.endsWith('\\\\')) {
      pending += line.slice(0, -1) + ' ';
      return undefined;
    }
    const text = (pending + line).trim();
    pending = '';
    if (text === '' || text.startsWith('#')) return undefined;
    let words: string[];
    try {
      words = splitWords(text);
    } catch (err) {
      throw new UsageError(`line ${pendingLine}: ${(err as Error).message}`);
    }
    return words.length > 0 ? { line: pendingLine, text, words } : undefined;
  };
  try {
    for (;;) {
      const n = readBlock(fd, buf);
      if (n === 0) break;
      const chunk = carry + decoder.decode(buf.subarray(0, n), { stream: true });
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        const l = take(chunk.slice(start, nl));
        if (l) yield l;
        start = nl + 1;
      }
      carry = chunk.slice(start);
      // One line without an end in sight: refused before it fills memory.
      if (carry.length > BATCH_LINE_MAX) throw new UsageError(`line ${physical + 1}: longer than ${BATCH_LINE_MAX} characters`);
    }
    carry += decoder.decode();
    if (carry !== '') {
      const l = take(carry);
      if (l) yield l;
    }
    // ip -batch fails here too: the command the backslash promised to continue never came.
    if (pending !== '') throw new UsageError(`line ${pendingLine}: the last line ends with '\\': nothing follows to continue it`);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
