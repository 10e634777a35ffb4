// IFLA_AF_SPEC of AF_BRIDGE messages (per-port bridge VLANs): iproute2's `bridge vlan` requests and
// the kernel's answers to `bridge vlan show`, captured in the lab (test/golden/fixtures/bridge),
// decode to Link.bridge and write back byte for byte; random models round-trip; AF_SPEC of other
// families stays raw.
import test from 'ava';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fcParams, scaled } from '../../../test/support/fc-config.js';
import { messageBytes } from '../../../test/support/messages.js';
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import {
  IFLA, RTM, bridgeVlanInfoOf, bridgeVlansOf, decodeLink, encodeLink, messageToJson, parseBuffer, splitMessages, withoutWire,
  type BridgeVlanInfo, type Link,
} from '@vrfctl/rtnetlink';

const DIR = fileURLToPath(new URL('../../../test/golden/fixtures/', import.meta.url));
interface Fixture { name: string; command: string[]; requests: string[]; replies: string[]; stdout: string }
const fixture = (name: string): Fixture => JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as Fixture;

function messages(hexes: readonly string[]): Message[] {
  return hexes.flatMap((h) => splitMessages(Buffer.from(h, 'hex')).messages);
}

const bytesOf = messageBytes;

function encoded(l: Link, type: number, flags = 0, seq = 0, pid = 0): Buffer {
  const b = new MessageBuilder(512);
  b.begin(type, flags);
  encodeLink(b, l);
  b.end();
  const out = b.finish();
  out.writeUInt32LE(seq, 8);
  out.writeUInt32LE(pid, 12);
  return out;
}

/** The AF_BRIDGE links of a fixture's replies. */
function bridgeLinks(f: Fixture): Link[] {
  return messages(f.replies).filter((m) => m.header.type === RTM.NEWLINK).map(decodeLink).filter((l) => l.family === 'bridge');
}

test('bridge vlan show: the kernel answer decodes to each port\'s VLANs, typed, and writes back byte for byte', (t) => {
  const f = fixture('bridge/vlan-show');
  const links = bridgeLinks(f);
  t.deepEqual(links.map((l) => l.ifname), ['v0', 'br0', 'w0']);
  const v0 = links[0];
  t.deepEqual(v0.bridge?.vlanInfo, [
    { vid: 1, flags: ['untagged'] }, { vid: 10, flags: [] }, { vid: 20, flags: ['pvid', 'untagged'] },
  ]);
  t.false(v0.unknown.some((a) => a.type === IFLA.AF_SPEC), 'AF_SPEC is typed, not raw');
  // The bridge's own VLANs (vid 10 added with self).
  t.deepEqual(links[1].bridge?.vlanInfo, [{ vid: 1, flags: ['pvid', 'untagged'] }, { vid: 10, flags: [] }]);
  t.deepEqual(bridgeVlansOf(links[2]).map((v) => v.vid), [1, ...Array.from({ length: 11 }, (_, i) => 100 + i)]);
  let n = 0;
  for (const m of messages(f.replies).filter((x) => x.header.type === RTM.NEWLINK)) {
    const l = decodeLink(m);
    t.deepEqual(encoded(l, m.header.type, m.header.flags, m.header.seq, m.header.pid), bytesOf(m), `${l.ifname}`);
    n++;
  }
  t.true(n >= 3);
});

test('bridge vlan show: what bridgeVlansOf gives is what bridge printed, port by port', (t) => {
  const f = fixture('bridge/vlan-show-json');
  const printed = JSON.parse(f.stdout) as Array<{ ifname: string; vlans: Array<{ vlan: number; vlanEnd?: number; flags?: string[] }> }>;
  const ours = bridgeLinks(f).filter((l) => l.bridge !== undefined).map((l) => ({
    ifname: l.ifname!,
    vlans: bridgeVlansOf(l).map((v) => ({
      vlan: v.vid, ...(v.vidEnd !== undefined ? { vlanEnd: v.vidEnd } : {}),
      ...(v.pvid || v.untagged ? { flags: [...(v.pvid ? ['PVID'] : []), ...(v.untagged ? ['Egress Untagged'] : [])] } : {}),
    })),
  }));
  t.deepEqual(ours, printed);
});

test('compressed dump: range_begin/range_end entries become one BridgeVlan with vidEnd', (t) => {
  const f = fixture('bridge/vlan-show-compressed');
  const w0 = bridgeLinks(f).find((l) => l.ifname === 'w0')!;
  t.deepEqual(w0.bridge?.vlanInfo?.slice(1), [{ vid: 100, flags: ['untagged', 'range_begin'] }, { vid: 110, flags: ['untagged', 'range_end'] }]);
  t.deepEqual(bridgeVlansOf(w0), [
    { index: w0.index, vid: 1, pvid: true, untagged: true, flags: ['pvid', 'untagged'] },
    { index: w0.index, vid: 100, vidEnd: 110, pvid: false, untagged: true, flags: ['untagged'] },
  ]);
});

test('bridge vlan add/del requests decode to Link.bridge and encode to iproute2\'s bytes', (t) => {
  const expect: Record<string, { flags?: string[]; vlanInfo: BridgeVlanInfo[]; type: number }> = {
    'bridge/vlan-add': { vlanInfo: [{ vid: 10, flags: [] }], type: RTM.SETLINK },
    'bridge/vlan-add-pvid-untagged': { vlanInfo: [{ vid: 20, flags: ['pvid', 'untagged'] }], type: RTM.SETLINK },
    'bridge/vlan-add-range': { vlanInfo: bridgeVlanInfoOf(100, 110, ['untagged']), type: RTM.SETLINK },
    'bridge/vlan-add-self': { flags: ['self'], vlanInfo: [{ vid: 10, flags: [] }], type: RTM.SETLINK },
    'bridge/vlan-add-master': { flags: ['master'], vlanInfo: [{ vid: 30, flags: [] }], type: RTM.SETLINK },
    'bridge/vlan-del': { vlanInfo: [{ vid: 10, flags: [] }], type: RTM.DELLINK },
    'bridge/vlan-del-range': { vlanInfo: bridgeVlanInfoOf(100, 110, []), type: RTM.DELLINK },
    'bridge/vlan-del-self': { flags: ['self'], vlanInfo: [{ vid: 10, flags: [] }], type: RTM.DELLINK },
  };
  for (const [name, e] of Object.entries(expect)) {
    const change = messages(fixture(name).requests).filter((m) => m.header.type === e.type);
    t.is(change.length, 1, name);
    const l = decodeLink(change[0]);
    t.is(l.family, 'bridge', name);
    t.deepEqual(l.bridge, { ...(e.flags ? { flags: e.flags } : {}), vlanInfo: e.vlanInfo, unknown: [] }, name);
    // Built by hand (no recorded order), the model gives the same bytes.
    const { seq, pid, flags } = change[0].header;
    t.deepEqual(encoded(withoutWire(l), e.type, flags, seq, pid), bytesOf(change[0]), name);
  }
});

test('IFLA_AF_SPEC of AF_UNSPEC link messages (per-family nests) stays raw', (t) => {
  let seen = 0;
  for (const m of messages(fixture('link/show').replies).filter((x) => x.header.type === RTM.NEWLINK)) {
    const l = decodeLink(m);
    t.is(l.bridge, undefined);
    if (l.unknown.some((a) => a.type === IFLA.AF_SPEC)) seen++;
    t.deepEqual(encoded(l, m.header.type, m.header.flags, m.header.seq, m.header.pid), bytesOf(m));
  }
  t.true(seen > 0, 'the fixture has AF_SPEC in AF_UNSPEC messages');
});

test('a VLAN_INFO run broken by another attribute writes back in its order', (t) => {
  // FLAGS, VLAN_INFO 5, MODE, VLAN_INFO 6: the second run stays raw, the order is recorded.
  const b = new MessageBuilder(256);
  b.begin(RTM.NEWLINK, 0);
  b.raw[b.reserve(16)] = 7; // ifi_family AF_BRIDGE
  const nest = b.nest(IFLA.AF_SPEC, true);
  b.u16(0, 2);
  b.binary(2, Buffer.from([0, 0, 5, 0]));
  b.u16(1, 0);
  b.binary(2, Buffer.from([2, 0, 6, 0]));
  b.endNest(nest);
  b.end();
  const bytes = b.finish();
  const [m] = parseBuffer(bytes);
  const l = decodeLink(m);
  t.deepEqual(l.bridge?.flags, ['self']);
  t.deepEqual(l.bridge?.vlanInfo, [{ vid: 5, flags: [] }]);
  t.is(l.bridge?.mode, 0);
  t.is(l.bridge?.unknown.length, 1);
  t.deepEqual(encoded(l, RTM.NEWLINK), bytes);
});

const vlanInfo: fc.Arbitrary<BridgeVlanInfo> = fc.record({
  vid: fc.integer({ min: 1, max: 4094 }),
  flags: fc.subarray(['master', 'pvid', 'untagged', 'range_begin', 'range_end', 'brentry']),
});
const bridgeLink: fc.Arbitrary<Link> = fc.record({
  index: fc.nat(1000),
  ifname: fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/),
  flags: fc.option(fc.subarray(['master', 'self'], { minLength: 1 }), { nil: undefined }),
  mode: fc.option(fc.constantFrom(0, 1), { nil: undefined }),
  vlanInfo: fc.option(fc.array(vlanInfo, { minLength: 1, maxLength: 20 }), { nil: undefined }),
}).map(({ index, ifname, flags, mode, vlanInfo: v }): Link => ({
  family: 'bridge', type: 'ether', index, flags: [], change: 0, ifname, unknown: [],
  bridge: { ...(flags ? { flags } : {}), ...(mode !== undefined ? { mode } : {}), ...(v ? { vlanInfo: v } : {}), unknown: [] },
}));

test('random AF_BRIDGE links with VLANs round-trip; mutated bytes give DecodeError or a value', (t) => {
  fc.assert(fc.property(bridgeLink, fc.array(fc.tuple(fc.nat(), fc.nat(255))), (l, edits) => {
    const bytes = encoded(l, RTM.NEWLINK);
    const [m] = parseBuffer(bytes);
    t.deepEqual(decodeLink(m), l);
    const buf = Buffer.from(bytes);
    for (const [at, v] of edits) buf[16 + (at % (buf.length - 16))] = v;
    const mut: Message = { header: { ...m.header }, payload: buf.subarray(16), offset: 0 };
    for (const f of [() => decodeLink(mut), () => messageToJson(mut)]) {
      try {
        f();
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }
  }), fcParams({ numRuns: scaled(300) }));
  t.pass();
});

test('every fixture in bridge/ decodes: bridge vlan, and ip link of the bridge kind', (t) => {
  const names = readdirSync(`${DIR}bridge`).filter((f) => f.endsWith('.json'));
  t.true(names.length >= 15, `${names.length} fixtures`);
  for (const n of names) {
    const f = fixture(`bridge/${n.slice(0, -5)}`);
    t.true(f.command[0] === 'bridge' || f.command.slice(0, 4).includes('link'), n);
    for (const m of messages([...f.requests, ...f.replies])) if (m.header.type >= 16 && m.header.type <= 19) decodeLink(m);
  }
});
