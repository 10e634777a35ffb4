// node tools/bench/micro.mjs [parse|encode|decode …] [--rounds N]
// CPU time of the library's hot paths without the kernel, to measure one change at a time:
//   parse   parseIPv4 / parseIPv6 / parsePrefix of 100k texts each
//   encode  encodeRoute of 100k /32 routes into one reused MessageBuilder (as batch() does)
//   builder MessageBuilder alone: 100k messages of a family header and attributes that need
//           padding (a string, a u8, a 6-byte address), reset every 256 messages
//   decode  forEachMessage + decodeRoute of the captured 100k-route dump (pnpm bench writes
//           bench-results/.cache/route-dump.bin), else of the bytes `encode` produced
// Prints the median and minimum of N rounds (process CPU, user + sys) after a warm-up.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageBuilder, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST, forEachMessage, parseIPv4, parseIPv6, parsePrefix } from '@vrfctl/netlink';
import { RTM, decodeRoute, encodeRoute } from '@vrfctl/rtnetlink';

const HERE = dirname(fileURLToPath(import.meta.url));
const CAPTURE = join(HERE, '..', '..', 'bench-results', '.cache', 'route-dump.bin');
const argv = process.argv.slice(2);
const ri = argv.indexOf('--rounds');
const rounds = ri >= 0 ? Number(argv[ri + 1]) : 15;
const which = argv.filter((a, i) => !a.startsWith('--') && !(ri >= 0 && i === ri + 1));
const want = (s) => which.length === 0 || which.includes(s);
const N = 100_000;
let sink = 0;

function measure(name, fn) {
  for (let i = 0; i < 3; i++) fn(); // warm-up (JIT)
  const xs = [];
  for (let i = 0; i < rounds; i++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    xs.push((c.user + c.system) / 1e3);
  }
  xs.sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} median ${xs[xs.length >> 1].toFixed(1).padStart(7)} ms  min ${xs[0].toFixed(1).padStart(7)} ms  (CPU, ${rounds} rounds)`);
}

const v4 = Array.from({ length: N }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
const v6 = Array.from({ length: N }, (_, i) => `2001:db8:${(i >> 16).toString(16)}::${(i & 0xffff).toString(16)}`);
const prefixes = v4.map((a) => `${a}/32`);

if (want('parse')) {
  measure('parseIPv4 ×100k', () => { for (const t of v4) sink += parseIPv4(t)[3]; });
  measure('parseIPv6 ×100k', () => { for (const t of v6) sink += parseIPv6(t)[15]; });
  measure('parsePrefix ×100k (v4 /32)', () => { for (const t of prefixes) sink += parsePrefix(t).length; });
}

const routes = prefixes.map((dst) => ({ family: 'inet', type: 'unicast', table: 100, protocol: 'boot', scope: 'link', tos: 0, flags: [], dst, oif: 1, unknown: [] }));
const b = new MessageBuilder(4096);
function encodeAll() {
  // batch() resets its builder per chunk of requests; 256 per chunk here.
  for (let i = 0; i < N; i++) {
    if ((i & 255) === 0) b.reset();
    b.begin(RTM.NEWROUTE, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL, i, 0);
    encodeRoute(b, routes[i]);
    b.end();
  }
  sink += b.length;
}
if (want('encode')) measure('encodeRoute ×100k', encodeAll);

const mac = new Uint8Array([2, 0, 0, 0, 0, 1]);
if (want('builder')) {
  measure('MessageBuilder ×100k (padded attrs)', () => {
    for (let i = 0; i < N; i++) {
      if ((i & 255) === 0) b.reset();
      b.begin(16, NLM_F_REQUEST, i, 0);
      b.reserve(16);
      b.string(3, 'eth0');
      b.u8(33, 1);
      b.binary(1, mac);
      b.u32(4, 1500);
      b.end();
    }
    sink += b.length;
  });
}

if (want('decode')) {
  let bytes;
  if (existsSync(CAPTURE)) bytes = readFileSync(CAPTURE);
  else {
    const all = new MessageBuilder(1 << 23);
    for (const r of routes) {
      all.begin(RTM.NEWROUTE, 0, 0, 0);
      encodeRoute(all, { ...r, tableIn: 'both' });
      all.end();
    }
    bytes = all.finish();
  }
  measure(`decodeRoute ×${existsSync(CAPTURE) ? 'capture' : '100k encoded'}`, () => {
    forEachMessage(bytes, (m) => {
      if (m.header.type === RTM.NEWROUTE) sink += decodeRoute(m).table;
    });
  });
}
if (sink === 0.5) console.log('');
