// vrfctl's own stack as a user would drive it (public API of the built packages), one
// operation per process so that every contender pays the same process and netns set-up.
// Run inside the namespace (ip netns exec NS node ours.mjs MODE ...); prints one JSON line.
//   install COUNT TABLE [rcvbuf]   batch() of RTM_NEWROUTE built with encodeRoute
//   dump TABLE                     dump() + decodeRoute to Route objects
//   stream TABLE                   dumpIterator() + decodeRoute; peak RSS from VmHWM
//   capture TABLE FILE             the raw datagrams of a route dump, concatenated, to FILE
//   monitor COUNT RCVBUF|default   openMonitor([RTNLGRP_IPV4_ROUTE]): events/s and overruns
import { readFileSync, writeFileSync } from 'node:fs';
import { MessageBuilder, NLM_F_CREATE, NLM_F_DUMP, NLM_F_EXCL, NLM_F_REQUEST, NETLINK_ROUTE } from '@vrfctl/netlink';
import { RTM, RTNLGRP, decodeRoute, encodeRoute } from '@vrfctl/rtnetlink';
import { openMonitor, openNetlink } from '@vrfctl/socket';

const [mode, ...args] = process.argv.slice(2);

function cpu(from) {
  const c = process.cpuUsage(from);
  return { userMs: c.user / 1e3, sysMs: c.system / 1e3 };
}

/** VmHWM / VmRSS in MB from /proc/self/status. */
function vm(field) {
  const m = readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function out(o) {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

// Asks the kernel for table T only (strict checking is on by default).
const dumpReq = (table) => ({
  type: RTM.GETROUTE,
  flags: 0,
  encode: (b) => {
    const at = b.reserve(12);
    b.raw[at] = 2; // AF_INET
    b.raw[at + 4] = table;
  },
});

function routeReq(i, table) {
  const route = {
    family: 'inet', type: 'unicast', table, protocol: 'boot', scope: 'link', tos: 0, flags: [],
    dst: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, oif: 1, unknown: [],
  };
  return { type: RTM.NEWROUTE, flags: NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeRoute(b, route) };
}

async function main() {
  if (mode === 'install') {
    const [count, table, rcvbuf] = [Number(args[0]), Number(args[1]), Number(args[2] ?? 4 << 20)];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = openNetlink(NETLINK_ROUTE, { rcvbuf, sndbuf: 1 << 20 });
    const reqs = [];
    for (let i = 1; i <= count; i++) reqs.push(routeReq(i, table));
    const results = s.batch(reqs);
    const ms = performance.now() - t0;
    const failed = results.filter((r) => !r.ok);
    if (failed.length) process.stderr.write(`${failed.length} failed, first: ${failed[0].error.message}\n`);
    out({ ms, count: count - failed.length, ...cpu(c0), sendCalls: s.stats.sendCalls, datagrams: s.stats.datagrams });
    s.close();
  } else if (mode === 'dump') {
    const table = Number(args[0]);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = openNetlink(NETLINK_ROUTE, { rcvbuf: 4 << 20 });
    const routes = s.dump(dumpReq(table)).map(decodeRoute);
    const ms = performance.now() - t0;
    out({ ms, count: routes.filter((r) => r.table === table).length, ...cpu(c0), datagrams: s.stats.datagrams });
    s.close();
  } else if (mode === 'stream') {
    const table = Number(args[0]);
    const before = vm('VmHWM');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = openNetlink(NETLINK_ROUTE);
    let count = 0;
    for await (const m of s.dumpIterator(dumpReq(table))) if (decodeRoute(m).table === table) count++;
    const ms = performance.now() - t0;
    out({ ms, count, ...cpu(c0), hwmBeforeMB: before, hwmMB: vm('VmHWM') });
    s.close();
  } else if (mode === 'capture') {
    // Raw datagrams exactly as the kernel sent them, for the decode benchmark.
    const [table, file] = [Number(args[0]), args[1]];
    const s = openNetlink(NETLINK_ROUTE, { rcvbuf: 4 << 20 });
    const b = new MessageBuilder(64);
    b.begin(RTM.GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 1, s.portId);
    dumpReq(table).encode(b);
    b.end();
    s.sendRaw(Buffer.from(b.finish()));
    const parts = [];
    for (let done = false; !done; ) {
      const d = s.receiveRaw(10_000);
      if (!d) throw new Error('capture: timed out');
      parts.push(d.data);
      // NLMSG_DONE is the last message of the last datagram.
      for (let off = 0; off + 16 <= d.data.length; off += (d.data.readUInt32LE(off) + 3) & ~3) {
        if (d.data.readUInt16LE(off + 4) === 3 || d.data.readUInt16LE(off + 4) === 2) done = true;
      }
    }
    writeFileSync(file, Buffer.concat(parts));
    out({ datagrams: parts.length, bytes: parts.reduce((n, p) => n + p.length, 0), sizes: parts.map((p) => p.length) });
    s.close();
  } else if (mode === 'monitor') {
    const count = Number(args[0]);
    const rcvbuf = args[1] === 'default' ? undefined : Number(args[1]);
    const mon = openMonitor([RTNLGRP.IPV4_ROUTE], rcvbuf === undefined ? {} : { rcvbuf });
    const c0 = process.cpuUsage();
    let events = 0;
    let overruns = 0;
    let first = 0;
    let last = 0;
    // Ends at COUNT events or after 3 s of silence (overruns lose events for good).
    let idle = setTimeout(() => mon.close(), 60_000);
    process.stdout.write('ready\n');
    for await (const ev of mon) {
      const t = performance.now();
      if (!first) first = t;
      last = t;
      if (ev.kind === 'overrun') overruns++;
      else if (ev.message.header.type === RTM.NEWROUTE) events++;
      if (events >= count) break;
      clearTimeout(idle);
      idle = setTimeout(() => mon.close(), 3000);
    }
    clearTimeout(idle);
    const ms = last - first;
    out({ events, overruns, ms, perSec: ms > 0 ? (events / ms) * 1e3 : 0, ...cpu(c0), rcvbuf: rcvbuf ?? 'default', kernelOverruns: mon.socket.stats.overruns });
    mon.close();
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

await main();
