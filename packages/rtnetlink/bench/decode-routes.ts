// Micro-benchmark (not a test): decodeRoute over a 100k-route dump like the kernel's.
//   node --loader=ts-node/esm --conditions=vrfctl-source packages/rtnetlink/bench/decode-routes.ts
import { MessageBuilder, NLM_F_MULTI, forEachMessage, type Message } from '@vrfctl/netlink';
import { RTM, decodeRoute, encodeRoute, rtmsg, type Route } from '@vrfctl/rtnetlink';

const COUNT = 100_000;
const b = new MessageBuilder(COUNT * 64);
for (let i = 0; i < COUNT; i++) {
  b.begin(RTM.NEWROUTE, NLM_F_MULTI, 1, 0);
  const r: Route = {
    family: 'inet', type: 'unicast', table: 1000, tableIn: 'both', protocol: 'static', scope: 'global', tos: 0, flags: [],
    dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, priority: 100, oif: 2, unknown: [],
  };
  encodeRoute(b, r);
  b.end();
}
const dump = b.finish();
const messages: Message[] = [];
forEachMessage(dump, (m) => messages.push(m));

function time(label: string, fn: () => void): void {
  fn();
  const runs = 5;
  const start = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn();
  const ns = Number(process.hrtime.bigint() - start) / runs;
  console.log(`${label}: ${(COUNT / (ns / 1e9) / 1e6).toFixed(2)} M routes/s (${(ns / 1e6).toFixed(1)} ms per ${COUNT})`);
}

console.log(`dump: ${dump.length} bytes, ${messages.length} messages`);
let sink = 0;
time('decodeRoute', () => { for (const m of messages) sink += decodeRoute(m).table; });
time('rtmsg header via buffer-layout', () => { for (const m of messages) sink += rtmsg.decode(m.payload, 0).table; });
time('rtmsg header via direct reads', () => { for (const m of messages) sink += m.payload[4] + m.payload.readUInt32LE(8); });
time('split + decodeRoute', () => forEachMessage(dump, (m) => { sink += decodeRoute(m).table; }));
if (sink === 42) console.log('');
