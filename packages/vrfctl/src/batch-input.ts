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

/**
 * Calls onLine for every non-empty logical line of the file ('-' is standard input), in order.
 * A word error (an open quote) is a UsageError naming the line.
 */
export function readBatchLines(path: string, onLine: (l: BatchLine) => void): void {
  const fd = path === '-' ? 0 : openSync(path, 'r');
  const buf = Buffer.allocUnsafe(BLOCK);
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let physical = 0;
  let pending = '';
  let pendingLine = 0;
  const take = (raw: string): void => {
    physical++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending === '') pendingLine = physical;
    if (line.endsWith('\\') && !line.endsWith('\\\\')) {
      pending += line.slice(0, -1) + ' ';
      return;
    }
    const text = (pending + line).trim();
    pending = '';
    if (text === '' || text.startsWith('#')) return;
    let words: string[];
    try {
      words = splitWords(text);
    } catch (err) {
      throw new UsageError(`line ${pendingLine}: ${(err as Error).message}`);
    }
    if (words.length > 0) onLine({ line: pendingLine, text, words });
  };
  try {
    for (;;) {
      const n = readBlock(fd, buf);
      if (n === 0) break;
      const chunk = carry + decoder.decode(buf.subarray(0, n), { stream: true });
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
        take(chunk.slice(start, nl));
        start = nl + 1;
      }
      carry = chunk.slice(start);
    }
    carry += decoder.decode();
    if (carry !== '' || pending !== '') take(carry);
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}
