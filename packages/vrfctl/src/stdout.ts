// Standard output, written with write(2) on fd 1 as ip writes it. process.stdout would load
// node's stream modules (and, on a terminal or a pipe, tty or net) at every start, for what
// is mostly a few lines; on Linux its writes to files, pipes and terminals are synchronous too,
// so the order against standard error stays the same.
import { writeSync } from 'node:fs';

/** The status of a command killed by SIGPIPE (128 + 13): ip's when its reader went away. */
export const EXIT_SIGPIPE = 141;

/** Set once fd 1 said EAGAIN (a non-blocking descriptor): the rest goes through process.stdout, in order. */
let throughStream = false;

/** Where output goes instead while set: tests that run a command module in their own process. */
let sink: ((text: string | Uint8Array) => void) | undefined;

/** Sends output to `to` (undefined: back to fd 1); returns the previous target, to restore. */
export function redirectOut(to: ((text: string | Uint8Array) => void) | undefined): ((text: string | Uint8Array) => void) | undefined {
  const before = sink;
  sink = to;
  return before;
}

/** True while everything written has reached fd 1 (nothing waits in process.stdout's queue). */
export function stdoutFlushed(): boolean {
  return !throughStream;
}

/**
 * Writes all of text to standard output. A reader that stopped early (`vrfctl route show |
 * head`) ends the command quietly with the SIGPIPE status, as ip, instead of a stack trace.
 */
export function writeOut(text: string | Uint8Array): void {
  if (sink !== undefined) {
    sink(text);
    return;
  }
  if (throughStream) {
    process.stdout.write(text);
    return;
  }
  let bytes: Uint8Array | undefined = typeof text === 'string' ? undefined : text;
  let done = 0;
  try {
    // A string goes out without a copy; only a short write makes its bytes.
    if (bytes === undefined) {
      const s = text as string;
      done = writeSync(1, s);
      if (done === Buffer.byteLength(s)) return;
      bytes = Buffer.from(s);
    }
    while (done < bytes.length) done += writeSync(1, bytes, done, bytes.length - done);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EPIPE') process.exit(EXIT_SIGPIPE);
    if (code !== 'EAGAIN') throw err;
    throughStream = true;
    const rest = (bytes ?? Buffer.from(text as string)).subarray(done);
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(EXIT_SIGPIPE);
    });
    process.stdout.write(rest);
  }
}
