// Decode throughput on the same bytes: a captured kernel route dump (datagrams concatenated),
// split into messages and decoded to objects by each parser, alternating, in one process.
//   decode.mjs FILE ROUNDS  -> one JSON line {ours:[ms…], nodeNetlink:[ms…], cpu:{…}, counts}
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { forEachMessage } from '@vrfctl/netlink';
import { RTM, decodeRoute } from '@vrfctl/rtnetlink';

const require = createRequire(import.meta.url);
const nl = require('netlink/dist/structs');
const nlrt = require('netlink/dist/rt/structs');

const [file, roundsArg] = process.argv.slice(2);
const buf = readFileSync(file);
const rounds = Number(roundsArg ?? 5);
let sink = 0;

function ours() {
  let n = 0;
  forEachMessage(buf, (m) => {
    if (m.header.type !== RTM.NEWROUTE) return;
    sink += decodeRoute(m).table;
    n++;
  });
  return n;
}

function nodeNetlink() {
  let n = 0;
  for (const m of nl.parseMessages(buf)) {
    if (m.type !== RTM.NEWROUTE) continue;
    sink += nlrt.parseMessage(m.type, m.data).data.table;
    n++;
  }
  return n;
}

const contenders = { ours, nodeNetlink };
const times = { ours: [], nodeNetlink: [] };
// CPU time too: the work is pure single-threaded CPU, and on a shared machine wall time also
// counts the time spent waiting for a core.
const cpuTimes = { ours: [], nodeNetlink: [] };
const counts = {};
for (const [k, fn] of Object.entries(contenders)) counts[k] = fn(); // warm-up (JIT)
for (let r = 0; r < rounds; r++) {
  const order = Object.entries(contenders);
  if (r % 2) order.reverse(); // alternate who runs first
  for (const [k, fn] of order) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    times[k].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpuTimes[k].push((c.user + c.system) / 1e3);
  }
}
if (sink === 0.5) console.log('');
process.stdout.write(`${JSON.stringify({ ...times, cpu: cpuTimes, counts, bytes: buf.length })}\n`);
