// Shared by the nexthop CLI tests: `vrfctl nexthop …` run in this process (the code path of the
// binary), the golden fixtures, and the messages in them.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { run } from '../src/commands/nexthop.js';
import { runInProcess, type CliResult } from './in-process.js';

export { lines, maskSeqPid, messagesOf, type CliResult } from './in-process.js';

export interface NexthopFixture {
  name: string;
  command: string[];
  setup: string[][];
  exitCode: number;
  stdout: string;
  stderr: string;
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

