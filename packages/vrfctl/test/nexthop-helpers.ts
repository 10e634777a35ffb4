// Shared by the nexthop CLI tests: `vrfctl nexthop …` run in this process (the code path of the
// binary), the golden fixtures, and the messages in them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../src/commands/nexthop.js';
import { runInProcess, type CliResult } from './in-process.js';

export { lines, maskSeqPid, type CliResult } from './in-process.js';

export interface NexthopFixture {
  name: string;
  command: string[];
  setup: string[][];
  exitCode: number;
  stdout: string;
  requests: string[];
  replies: string[];
  other?: Array<{ socket: number; dir: string; hex: string }>;
  expectFail?: boolean;
}

const DIR = fileURLToPath(new URL('../../../test/golden/fixtures/nexthop/', import.meta.url));

export function nexthopFixtures(): NexthopFixture[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(DIR + f, 'utf8')) as NexthopFixture);
}

/** `vrfctl [global flags] nexthop ARGS…` in this process. */
export function vrfctlNexthop(argv: readonly string[]): CliResult {
  return runInProcess('nexthop', run, argv);
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
