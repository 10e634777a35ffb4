// `bridge vlan` against iproute2's bytes, without a kernel that filters VLANs (the host's has no
// CONFIG_BRIDGE_VLAN_FILTERING; test/golden/fixtures/bridge was captured in the lab): each plan
// runs against the fixture's own traffic. Name lookups are answered from the link dump bridge made
// first; the change each plan sends must be the bytes bridge sent (seq and pid masked); a show's
// dump request must be bridge's, and our printing of the kernel's answer must be bridge's stdout,
// text and -j. The same plans on a real kernel: packages/vrfctl/test-lab/bridge-vlan.test.ts.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NLM_F_ACK, NLM_F_DUMP, type Message } from '@vrfctl/netlink';
import { encodeRequest, type Plan, type Request } from '@vrfctl/socket';
import { AF_BRIDGE, IFLA, RTM, decodeLink, splitMessages } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { messageBytes } from '../../../test/support/messages.js';
import {
  BRIDGE_VLAN_HEADER, addBridgeVlan, bridgeVlansToJson, deleteBridgeVlan, formatBridgeVlans, listBridgeVlans, parseBridgeVlanCommand,
} from '../src/index.js';

const DIR = fileURLToPath(new URL('../../../test/golden/fixtures/bridge/', import.meta.url));
interface Fixture { name: string; command: string[]; requests: string[]; replies: string[]; flow: string; stdout: string; exitCode: number }
// The `ip link` fixtures of the bridge link kind share the directory: only `bridge …` ones here.
const FIXTURES: Fixture[] = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(readFileSync(DIR + f, 'utf8')) as Fixture).filter((f) => f.command[0] === 'bridge');

const masked = (b: Buffer): string => {
  const c = Buffer.from(b);
  c.fill(0, 8, 16);
  return c.toString('hex');
};
const messagesOf = (hex: string): Message[] => splitMessages(Buffer.from(hex, 'hex')).messages;
const wire = messageBytes;

/** The replies to the nth send of a fixture's main socket (flow: "srrrrsrr"). */
function repliesTo(f: Fixture, nth: number): Message[] {
  let sends = -1;
  let r = 0;
  const out: Message[] = [];
  for (const c of f.flow) {
    if (c === 's') sends++;
    else {
      if (sends === nth) out.push(...messagesOf(f.replies[r]));
      r++;
    }
  }
  return out;
}

/** bridge's words after its global options: ["vlan", "add", …]. */
function words(f: Fixture): { json: boolean; compressed: boolean; rest: string[] } {
  const argv = f.command.slice(1);
  let i = 0;
  const flags: string[] = [];
  while (argv[i].startsWith('-')) flags.push(argv[i++]);
  return { json: flags.includes('-j'), compressed: flags.includes('-compressvlans'), rest: argv.slice(i + 1) };
}

interface Replay<T> { result: T; sent: string[]; dumps: string[] }

/**
 * Runs a plan against a fixture: lookups by name are answered from bridge's first link dump, the
 * AF_BRIDGE dump from the replies bridge got, acks succeed; what the plan sends is recorded.
 */
function replay<T>(f: Fixture, plan: Plan<T>): Replay<T> {
  const links = repliesTo(f, 0).filter((m) => m.header.type === RTM.NEWLINK);
  const sent: string[] = [];
  const dumps: string[] = [];
  let next = plan.next();
  while (!next.done) {
    const step = next.value;
    let result: unknown;
    if (step.kind === 'request') {
      const name = lookupName(step.req);
      result = links.filter((m) => decodeLink(m).ifname === name);
    } else if (step.kind === 'dump') {
      dumps.push(masked(encodeRequest(step.req, undefined, NLM_F_DUMP)));
      result = repliesTo(f, 1);
    } else if (step.kind === 'ack') {
      sent.push(masked(encodeRequest(step.req, undefined, NLM_F_ACK)));
    } else throw new Error(`unexpected step ${step.kind}`);
    next = plan.next(result);
  }
  return { result: next.value, sent, dumps };
}

function lookupName(req: Request): string | undefined {
  const b = encodeRequest(req);
  for (let o = 32; o + 4 <= b.length; ) {
    const len = b.readUInt16LE(o);
    if (b.readUInt16LE(o + 2) === IFLA.IFNAME) return b.toString('utf8', o + 4, o + len - 1);
    o += (len + 3) & ~3;
  }
  return undefined;
}

/** The messages of a fixture's requests that change something (bridge's link dump left out). */
function changes(f: Fixture): string[] {
  return f.requests.flatMap(messagesOf).filter((m) => m.header.type === RTM.SETLINK || m.header.type === RTM.DELLINK).map((m) => masked(wire(m)));
}

for (const f of FIXTURES) {
  const w = words(f);
  const cmd = parseBridgeVlanCommand(w.rest);
  if (cmd.kind === 'change') {
    test(`golden ${f.name}: ${f.command.join(' ')}`, (t) => {
      const plan = cmd.op === 'add' ? addBridgeVlan(cmd.spec) : deleteBridgeVlan(cmd.spec);
      const { sent } = replay(f, plan);
      t.deepEqual(sent, changes(f));
      t.is(sent.length, 1);
    });
  } else {
    test(`golden ${f.name}: ${f.command.join(' ')}: dump request and output`, (t) => {
      const { result, dumps } = replay(f, listBridgeVlans({ ...cmd.filter, compressed: w.compressed }));
      const bridgeDump = f.requests.flatMap(messagesOf).filter((m) => m.header.type === RTM.GETLINK && m.payload[0] === AF_BRIDGE);
      t.deepEqual(dumps, bridgeDump.map((m) => masked(wire(m))));
      const ours = w.json ? `${JSON.stringify(bridgeVlansToJson(result))}\n` : [BRIDGE_VLAN_HEADER, ...formatBridgeVlans(result)].map((l) => `${l}\n`).join('');
      t.is(ours, f.stdout);
    });
  }
}

test('the fixtures cover add, del, ranges, self, master, show, -j, dev and compressed', (t) => {
  const cmds = FIXTURES.map((f) => f.command.join(' '));
  for (const part of ['vlan add', 'vlan del', '100-110', ' self', ' master', 'vlan show', '-j', 'show dev', '-compressvlans']) {
    t.true(cmds.some((c) => c.includes(part)), part);
  }
});

test('bad words, VLAN ids and ranges are ArgumentErrors before anything is sent', (t) => {
  const bad: string[][] = [
    ['add', 'dev', 'v0', 'vid', '0'], ['add', 'dev', 'v0', 'vid', '4095'], ['add', 'dev', 'v0', 'vid', '4096'],
    ['add', 'dev', 'v0', 'vid', '10-5'], ['add', 'dev', 'v0', 'vid', '10-10'], ['add', 'dev', 'v0', 'vid', '1-4095'],
    ['add', 'dev', 'v0', 'vid', '10-20', 'pvid'], ['add', 'dev', 'v0', 'vid', 'ten'], ['add', 'dev', 'v0', 'vid', '10', 'tagged'],
    ['add', 'dev', 'v0'], ['add', 'vid', '10'], ['del', 'dev', 'v0', 'vid', '10', 'pvd'], ['show', 'dev', 'v0', 'dev', 'v1'],
    ['show', 'vid', '0'], ['show', 'bogus'], ['frobnicate'],
  ];
  for (const b of bad) t.throws(() => parseBridgeVlanCommand(b), { instanceOf: ArgumentError }, b.join(' '));
  // The library checks specs built by hand the same way, before any step.
  t.throws(() => addBridgeVlan({ dev: 'v0', vid: 0 }).next(), { instanceOf: ArgumentError });
  t.throws(() => deleteBridgeVlan({ dev: 'v0', vid: 4095 }).next(), { instanceOf: ArgumentError });
  t.deepEqual(parseBridgeVlanCommand(['a', 'dev', 'v0', 'vid', '1-4094', 'untagged', 'master', 'self']), {
    kind: 'change', op: 'add', spec: { dev: 'v0', vid: 1, vidEnd: 4094, untagged: true, master: true, self: true },
  });
  t.deepEqual(parseBridgeVlanCommand([]), { kind: 'show', filter: {} });
  t.deepEqual(parseBridgeVlanCommand(['lst', 'vid', '10']), { kind: 'show', filter: { vid: 10 } });
});
