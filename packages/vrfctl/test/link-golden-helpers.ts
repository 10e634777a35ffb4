// The golden comparison shared by link-, addr- and neigh-golden.test.ts: for every fixture that
// changes something, our --dry-run --hex output must be the bytes `ip` sent (seq and pid
// masked), with the fixture's setup applied in a fresh netns so that names resolve the same
// way; and every reply in the fixtures must decode, with our view and the rtnetlink codecs
// agreeing.
import test from 'ava';
import { parseErrorReply, parseMessages } from '@vrfctl/netlink';
import { decodeAddress, decodeLink, decodeNeighbour } from '@vrfctl/rtnetlink';
import { cli, execIn, fixtures, masked, splitCommand, splitMessages, tempNetns, type Fixture } from './link-helpers.js';
import { NLM_F_ACK, NLM_F_REQUEST } from '@vrfctl/netlink';
import { IFA, IFA_F, RTM } from '@vrfctl/rtnetlink';
import type { GlobalOptions } from '../src/context.js';
import { EXIT_REFUSED } from '../src/errors.js';

type Runner = (args: string[], opts: GlobalOptions) => number | void | Promise<number | void>;

const CHANGES = new Set(['add', 'set', 'del', 'delete', 'replace', 'change', 'flush', 'property']);
const { NEWLINK: RTM_NEWLINK, DELADDR: RTM_DELADDR } = RTM;
const { CACHEINFO: IFA_CACHEINFO, FLAGS: IFA_FLAGS } = IFA;
const IFA_F_TENTATIVE = IFA_F.tentative;

export function isChange(f: Fixture): boolean {
  return CHANGES.has(splitCommand(f.command).words[0]);
}

/** iproute2 6.1's RTM_NEWLINK probe (seq 0, empty ifinfomsg) is not part of the change. */
function isProbe(m: Buffer): boolean {
  return m.readUInt16LE(4) === RTM_NEWLINK && m.readUInt32LE(8) === 0 && m.length === 32 && m.subarray(16).every((b) => b === 0);
}

/**
 * Flushes send dumped addresses back; their IFA_CACHEINFO timestamps (hundredths of a second
 * since boot) differ between the capture and this run, and whether the link-local address is
 * still tentative (DAD) depends on timing, so both are cleared on both sides.
 */
function normalise(m: Buffer): Buffer {
  const out = masked(m);
  // ip sends flush deletes without NLM_F_ACK; ours go through batch(), which needs one ACK per
  // request to report each result. Every other byte must still match.
  if (out.readUInt16LE(4) === RTM_DELADDR && out.readUInt16LE(6) === (NLM_F_REQUEST | NLM_F_ACK)) out.writeUInt16LE(NLM_F_REQUEST, 6);
  if (out.readUInt16LE(4) !== RTM_DELADDR || out.readUInt16LE(6) !== NLM_F_REQUEST) return out;
  out[16 + 2] &= ~IFA_F_TENTATIVE;
  for (let o = 16 + 8; o + 4 <= out.length; ) {
    const len = out.readUInt16LE(o);
    if (len < 4) break;
    const type = out.readUInt16LE(o + 2) & 0x3fff;
    if (type === IFA_CACHEINFO && len === 20) out.fill(0, o + 12, o + 20);
    if (type === IFA_FLAGS && len === 8) out.writeUInt32LE(out.readUInt32LE(o + 4) & ~IFA_F_TENTATIVE, o + 4);
    o += (len + 3) & ~3;
  }
  return out;
}

export function mutatingMessages(f: Fixture): string[] {
  const out: string[] = [];
  for (const hex of f.requests) {
    for (const m of splitMessages(hex)) {
      const type = m.readUInt16LE(4);
      if (type >= 16 && type % 4 === 2) continue;
      if (isProbe(m)) continue;
      out.push(normalise(m).toString('hex'));
    }
  }
  return out;
}

export function goldenChangeTests(kinds: string[], object: string, runner: Runner): void {
  for (const kind of kinds) {
    for (const f of fixtures(kind).filter(isChange)) {
      test(`golden ${f.name}: ${f.command.join(' ')}`, async (t) => {
        // DAD on, as when the fixtures were captured.
        const ns = tempNetns(t, { dad: true });
        for (const argv of f.setup) {
          const r = execIn(ns, argv);
          if (r.code !== 0) t.fail(`setup "${argv.join(' ')}" fails on this kernel: ${r.stderr.trim()}`);
        }
        const cmd = splitCommand(f.command);
        t.is(cmd.object === 'address' ? 'addr' : cmd.object === 'neighbour' || cmd.object === 'neighbor' ? 'neigh' : cmd.object, object);
        const ours = await cli(runner, object, cmd.words, { netns: ns, dryRun: true, hex: true, family: cmd.family });
        const expected = mutatingMessages(f);
        if (expected.length === 0 && f.exitCode !== 0) {
          // ip failed before sending a change (an unknown device): so must we, with the same line.
          t.is(ours.code, f.exitCode);
          t.is(ours.stdout, '');
          t.true(ours.stderr.includes(f.stderr.trim()), `stderr ${ours.stderr}`);
          return;
        }
        t.is(ours.code, 0, ours.stderr);
        const got = ours.stdout.trim().split('\n').filter(Boolean).flatMap((h) => splitMessages(h)).map((m) => normalise(m).toString('hex'));
        t.deepEqual(got, expected);
      });
    }
  }
}

/** Every reply (main and lookup sockets) decodes; both decoders agree on what identifies it. */
export function goldenReplyTests(kinds: string[]): void {
  for (const kind of kinds) {
    test(`golden ${kind}: every reply decodes with the typed decoders`, (t) => {
      let links = 0;
      let addresses = 0;
      let neighbours = 0;
      let errors = 0;
      for (const f of fixtures(kind)) {
        const buffers = [...f.replies, ...(f.other ?? []).filter((o) => o.dir === 'recv').map((o) => o.hex)];
        let sawError = false;
        for (const hex of buffers) {
          for (const m of parseMessages(Buffer.from(hex, 'hex'))) {
            switch (m.header.type) {
              case 16: case 17: {
                const l = decodeLink(m);
                t.true(typeof l.ifname === 'string' && l.ifname.length > 0, f.name);
                t.true(l.index > 0, f.name);
                t.true(Array.isArray(l.flags), f.name);
                links++;
                break;
              }
              case 20: case 21: {
                const a = decodeAddress(m);
                t.true(a.family === 'inet' || a.family === 'inet6', f.name);
                t.true((a.local ?? a.address) !== undefined, f.name);
                t.true(a.prefixlen <= (a.family === 'inet' ? 32 : 128), f.name);
                addresses++;
                break;
              }
              case 28: case 29: {
                const n = decodeNeighbour(m);
                t.true(n.index > 0, f.name);
                t.true(n.dst !== undefined || n.lladdr !== undefined, f.name);
                neighbours++;
                break;
              }
              case 2: {
                const e = parseErrorReply(m);
                if (e.errno !== 0) sawError = true;
                errors++;
                break;
              }
            }
          }
        }
        // A command that the kernel refused (ip exits 2, EXIT_REFUSED) has a non-zero error reply.
        if (f.exitCode === EXIT_REFUSED) t.true(sawError, `${f.name}: no error reply`);
      }
      t.true(links + addresses + neighbours > 0);
      t.log(`${kind}: ${links} links, ${addresses} addresses, ${neighbours} neighbours, ${errors} acks/errors`);
    });
  }
}
