// Reading a batch file: logical lines (a trailing backslash continues a line) split into words
// the way `ip -batch` does (quotes group words, `#` starts a comment), read in blocks so that a
// file of 100k commands is never held twice in memory.
import { UsageError } from './errors.js';
import { inputLines, lineTooLong } from './input-lines.js';

export interface BatchLine {
  /** 1-based number of the first physical line. */
  line: number;
  /** The command as written (continuations joined), for messages. */
  text: string;
  words: string[];
}

/**
 * Words separated by single spaces, without quotes, escapes, comments, tabs or anything past
 * ASCII: most lines, split natively.
 */
function plain(text: string): boolean {
  let space = true; // at the start, as after a space: no empty first word
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (space) return false;
      space = true;
    } else if (c <= 32 || c >= 127 || c === 34 || c === 35 || c === 39 || c === 92) return false;
    else space = false;
  }
  return !space;
}

/** Words of one line: whitespace separates, '…' and "…" group, backslash escapes, # comments. */
export function splitWords(text: string): string[] {
  return plain(text) ? text.split(' ') : splitQuotedWords(text);
}

/** splitWords character by character: any line (exported to hold the native split to it in tests). */
export function splitQuotedWords(text: string): string[] {
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

/** The longest logical line a batch takes (continuations joined): far above any command, far below memory trouble. */
export const BATCH_LINE_MAX = 65536;

/**
 * Every non-empty logical line of the file ('-' is standard input), in order, read in blocks:
 * the file is never held whole. A word error (an open quote), a line past BATCH_LINE_MAX and a
 * last line continued by a trailing backslash are UsageErrors naming the line.
 */
export function* batchLines(path: string): Generator<BatchLine> {
  let physical = 0;
  let pending = '';
  let pendingLine = 0;
  for (const raw of inputLines(path, { lineLength: BATCH_LINE_MAX })) {
    physical++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending === '') pendingLine = physical;
    if (pending.length + line.length > BATCH_LINE_MAX) throw lineTooLong(pendingLine, BATCH_LINE_MAX);
    if (line.endsWith('\\') && !line.endsWith('\\\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const text = (pending + line).trim();
    pending = '';
    if (text === '' || text.startsWith('#')) continue;
    let words: string[];
    try {
      words = splitWords(text);
    } catch (err) {
      throw new UsageError(`line ${pendingLine}: ${(err as Error).message}`);
    }
    if (words.length > 0) yield { line: pendingLine, text, words };
  }
  // ip -batch fails here too: the command the backslash promised to continue never came.
  if (pending !== '') throw new UsageError(`line ${pendingLine}: the last line ends with '\\': nothing follows to continue it`);
}
