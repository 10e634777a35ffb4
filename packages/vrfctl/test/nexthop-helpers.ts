// Shared by the nexthop CLI tests: `vrfctl nexthop …` run in this process (the code path of the
// binary), the golden fixtures, and the messages in them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NLM_F_DUMP, toHex, type Message } from '@vrfctl/netlink';
import { RTM } from '@vrfctl/rtnetlink';
import { encodeRequest, type BatchResult, type Request, type SyncNetlink } from '@vrfctl/socket';
import { run } from '../src/commands/nexthop.js';
import { maskSeqPid, messagesOf, runInProcess, type CliResult } from './in-process.js';
import { FIXTURES } from './link-helpers.js';

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

const DIR = join(FIXTURES, 'nexthop');

export function nexthopFixtures(): NexthopFixture[] {
  return readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as NexthopFixture);
}

/** Fixtures captured in the lab: their setup makes a VRF, which only the lab kernel can. */
export const needsVrf = (fx: NexthopFixture) => fx.setup.some((argv) => argv.join(' ').includes(' type vrf '));

export const CHANGE_TYPES: ReadonlySet<number> = new Set<number>([RTM.NEWNEXTHOP, RTM.DELNEXTHOP]);
export const READ_TYPES: ReadonlySet<number> = new Set<number>([RTM.GETNEXTHOP, RTM.GETNEXTHOPBUCKET]);
/** The words after `nexthop`, and the global flags before it. */
export const nexthopWords = (fx: NexthopFixture) => fx.command.slice(fx.command.indexOf('nexthop') + 1);
export const nexthopGlobals = (fx: NexthopFixture) => fx.command.slice(1, fx.command.indexOf('nexthop'));
export const isNexthopCommand = (fx: NexthopFixture) => fx.command[1] === 'nexthop' || (fx.command[1].startsWith('-') && fx.command.includes('nexthop'));
export const isChange = (fx: NexthopFixture) => ['add', 'replace', 'del', 'flush'].includes(nexthopWords(fx)[0]);

/** What ip sent that changes the kernel, on any of its sockets, in order. */
export function mutations(fx: NexthopFixture): string[] {
  const sent = [...fx.requests, ...(fx.other ?? []).filter((o) => o.dir === 'send').map((o) => o.hex)];
  // Flush deletes travel on the second socket, after the dumps on the first: keep send order per socket.
  return sent.flatMap(messagesOf).filter((m) => CHANGE_TYPES.has(m.readUInt16LE(4))).map((m) => maskSeqPid(m.toString('hex')));
}

/** The nexthop GET requests ip sent. */
export function reads(fx: NexthopFixture): string[] {
  return fx.requests.flatMap(messagesOf).filter((m) => READ_TYPES.has(m.readUInt16LE(4))).map((m) => maskSeqPid(m.toString('hex')));
}

/** Bucket idle times are per-run clock values: masked on both sides. */
export const maskIdle = (s: string) => s.replace(/idle_time"?:? ?[0-9.e+-]+/g, 'idle_time X');

/** Passes everything through and keeps the nexthop GET requests, encoded as sent (no NLM_F_ACK). */
export class KeepReads implements SyncNetlink {
  readonly sent: string[] = [];
  constructor(private readonly inner: SyncNetlink) {}
  ack(req: Request): void {
    this.inner.ack(req);
  }
  request(req: Request): Message[] {
    if (READ_TYPES.has(req.type)) this.sent.push(maskSeqPid(toHex(encodeRequest(req))));
    return this.inner.request(req);
  }
  dump(req: Request): Message[] {
    if (READ_TYPES.has(req.type)) this.sent.push(maskSeqPid(toHex(encodeRequest(req, undefined, NLM_F_DUMP))));
    return this.inner.dump(req);
  }
  batch(reqs: Iterable<Request>): BatchResult[] {
    return this.inner.batch(reqs);
  }
}

/** `vrfctl [global flags] nexthop ARGS…` in this process. */
export function vrfctlNexthop(argv: readonly string[]): CliResult {
  return runInProcess('nexthop', run, argv);
}

