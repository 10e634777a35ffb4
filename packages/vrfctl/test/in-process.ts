// Runs one vrfctl command module in this process (the code path of the binary, without a Node
// start per call), with the exit code and error line main.ts would give.
import { describeFailure } from '../src/errors.js';
import { describeRequest } from '../src/describe.js';
import type { GlobalOptions } from '../src/context.js';
import { redirectOut } from '../src/stdout.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Run = (args: string[], opts: GlobalOptions) => number | void;

/**
 * `vrfctl [global flags] COMMAND ARGS…`: the words before COMMAND are global flags
 * (-n NS, -4, -6, -j, -p, --dry-run, --hex).
 */
export function runInProcess(command: string, run: Run, argv: readonly string[]): CliResult {
  const at = argv.indexOf(command);
  if (at === -1) throw new Error(`runInProcess(): the words must contain "${command}"`);
  const opts: GlobalOptions = { json: false, pretty: false, dryRun: false, hex: false, debug: false };
  const globals = argv.slice(0, at);
  for (let i = 0; i < globals.length; i++) {
    const g = globals[i];
    if (g === '-n' || g === '--netns') opts.netns = globals[++i];
    else if (g === '-4') opts.family = 4;
    else if (g === '-6') opts.family = 6;
    else if (g === '-j' || g === '--json') opts.json = true;
    else if (g === '-p' || g === '--pretty') opts.pretty = true;
    else if (g === '--dry-run') opts.dryRun = true;
    else if (g === '--hex') opts.hex = true;
    else throw new Error(`runInProcess(): unknown global flag ${g}`);
  }
  if (opts.dryRun && !opts.hex) opts.describeRequest = describeRequest; // as main.ts does
  const args = argv.slice(at + 1);
  let stdout = '';
  // run() is synchronous, so nothing else writes output while it is redirected.
  const before = redirectOut((chunk) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  });
  try {
    const code = run([...args], opts);
    return { code: typeof code === 'number' ? code : 0, stdout, stderr: '' };
  } catch (err) {
    const { line, code } = describeFailure(err, [command, ...args.slice(0, 1)].join(' '));
    return { code, stdout, stderr: line + '\n' };
  } finally {
    redirectOut(before);
  }
}

/** The non-empty lines of some output (e.g. the hex lines of a dry run). */
export function lines(out: string): string[] {
  return out.split('\n').filter((l) => l.length > 0);
}

/** A buffer of requests with nlmsg_seq and nlmsg_pid zeroed (bytes 8–15 of each message). */
export function maskSeqPid(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  let off = 0;
  while (off + 16 <= b.length) {
    const len = b.readUInt32LE(off);
    if (len < 16) break;
    b.fill(0, off + 8, off + 16);
    off += (len + 3) & ~3;
  }
  return b.toString('hex');
}

/** The messages of a buffer (iproute2's trailing zero padding after a dump request dropped). */
export function messagesOf(hex: string): Buffer[] {
  const b = Buffer.from(hex, 'hex');
  const out: Buffer[] = [];
  let off = 0;
  while (off + 16 <= b.length) {
    const len = b.readUInt32LE(off);
    if (len < 16) break;
    out.push(b.subarray(off, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}
