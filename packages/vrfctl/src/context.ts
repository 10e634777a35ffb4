import { writeOut } from './stdout.js';

/** Options every command sees, from the global flags before the command name. */
export interface GlobalOptions {
  netns?: string;
  family?: 4 | 6;
  json: boolean;
  pretty: boolean;
  dryRun: boolean;
  hex: boolean;
  debug: boolean;
  /** -br: one line per link, name, state and addresses (link, addr). */
  brief?: boolean;
  /** -s, given N times: link counters (link, addr). */
  stats?: number;
  /** -d, given N times: details. */
  details?: number;
  /** -o: each record on one line, `\` where ip breaks lines (link, addr). */
  oneline?: boolean;
  /**
   * How --dry-run without --hex prints a request (describe.ts). main loads it only then: it
   * pulls rtnetlink's JSON form of every message kind, which no other path of most commands needs.
   */
  describeRequest?: (request: Buffer) => string;
}

export function writeLine(line: string): void {
  writeOut(line + '\n');
}

/** JSON output as `ip -j` (compact) or `ip -j -p` (indented). */
export function printJson(value: unknown, opts: GlobalOptions): void {
  writeLine(opts.pretty ? JSON.stringify(value, null, 4) : JSON.stringify(value));
}
