// node-netlink (npm `netlink`, mildsunrise/node_netlink) contender, used the way its README
// shows: one awaited newRoute() per route, getRoutes() for the dump. Prints one JSON line.
//   install COUNT TABLE | dump TABLE
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createRtNetlink } = require('netlink');

const [mode, ...args] = process.argv.slice(2);
const c0 = process.cpuUsage();
const t0 = performance.now();
const sock = createRtNetlink();
let count = 0;
if (mode === 'install') {
  const [n, table] = [Number(args[0]), Number(args[1])];
  for (let i = 1; i <= n; i++) {
    await sock.newRoute(
      { family: 2, dstLen: 32, table, protocol: 'BOOT', scope: 'LINK', type: 'UNICAST' },
      { dst: Buffer.from([10, (i >> 16) & 255, (i >> 8) & 255, i & 255]), oif: 1 },
      { flags: 0x400 | 0x200 }, // CREATE | EXCL
    );
    count++;
  }
} else if (mode === 'dump') {
  const table = Number(args[0]);
  // Its dump takes no table filter in the request; filtering is the caller's.
  const routes = await sock.getRoutes({ family: 2 });
  count = routes.filter((r) => (r.attrs.table ?? r.data.table) === table).length;
} else throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - t0;
const c = process.cpuUsage(c0);
process.stdout.write(`${JSON.stringify({ ms, count, userMs: c.user / 1e3, sysMs: c.system / 1e3 })}\n`);
sock.socket.close();
