// Measures route installation with batch() against `ip -batch`, and a dump of the result.
// Run from the repo root as root:
//   TS_NODE_PROJECT=tsconfig.test.json node --loader ts-node/esm --conditions=vrfctl-source \
//     --no-warnings packages/socket/bench/routes.ts 10000 100000
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { NETLINK_ROUTE, type MessageBuilder } from '@vrfctl/netlink';
import { openNetlink, type Request } from '../src/index.js';

function route(i: number): Request {
  const dst = [10, (i >> 16) & 255, (i >> 8) & 255, i & 255];
  return {
    type: 24, // RTM_NEWROUTE
    flags: 0x400 | 0x200,
    encode: (b: MessageBuilder) => {
      const at = b.reserve(12);
      b.raw.set([2, 32, 0, 0, 254, 3, 253, 1], at);
      b.binary(1, Uint8Array.from(dst)); // RTA_DST
      b.u32(4, 1); // RTA_OIF lo
    },
  };
}

function netns(): string {
  const name = `vrfctl-bench-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(0)} ms`;
}

for (const n of process.argv.slice(2).map(Number)) {
  const reqs = Array.from({ length: n }, (_, i) => route(i + 1));
  const a = netns();
  try {
    const s = openNetlink(NETLINK_ROUTE, { netns: a, rcvbuf: 4 << 20, sndbuf: 1 << 20 });
    let t0 = performance.now();
    const results = s.batch(reqs);
    const batchTime = ms(t0);
    const failed = results.filter((r) => !r.ok).length;
    t0 = performance.now();
    const dumped = s.dump({ type: 26, flags: 0, encode: (b) => void b.reserve(12) }).length;
    const dumpTime = ms(t0);
    console.log(`${n} routes: batch() ${batchTime} (${failed} failed, ${s.stats.sendCalls} sendto calls); dump of ${dumped} messages ${dumpTime}`);
    s.close();
  } finally {
    execFileSync('ip', ['netns', 'del', a]);
  }
  const b = netns();
  const file = `/tmp/${b}.batch`;
  try {
    writeFileSync(file, Array.from({ length: n }, (_, i) => {
      const j = i + 1;
      return `route add 10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}/32 dev lo`;
    }).join('\n') + '\n');
    const t0 = performance.now();
    execFileSync('ip', ['-n', b, '-batch', file]);
    const ipTime = ms(t0);
    const t1 = performance.now();
    const lines = execFileSync('ip', ['-n', b, 'route', 'show'], { maxBuffer: 1 << 28 }).toString().split('\n').length - 1;
    console.log(`${n} routes: ip -batch ${ipTime}; ip route show (${lines} lines) ${ms(t1)}`);
  } finally {
    rmSync(file, { force: true });
    execFileSync('ip', ['netns', 'del', b]);
  }
}
