// The one message of a nexthop group replace, timed inside vrfctl's library: no process start-up,
// no argument parsing, only nexthops(nl).replace() from the send to the kernel's ACK. The kernel
// moves every route that uses the group while it handles the request, so the time is the
// kernel's (its CPU shows as this process's system time: the request runs in the sendmsg call).
// Run inside the namespace: ip netns exec NS node nh-replace.mjs GROUP_ID COUNT A,B,C,D E,F,G,H
// replaces GROUP_ID COUNT times, alternately with the members of the two lists (each time a real
// move), and prints one JSON line: every call's wall/user/sys milliseconds.
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { nexthops } from '@vrfctl/nexthop';
import { openNetlink } from '@vrfctl/socket';

const [gid, count, ...sets] = process.argv.slice(2);
const groups = sets.map((s) => s.split(',').map((id) => ({ id: Number(id) })));
const nl = openNetlink(NETLINK_ROUTE);
const nh = nexthops(nl);
const calls = [];
try {
  for (let i = 0; i < Number(count); i++) {
    const spec = { id: Number(gid), group: groups[i % groups.length] };
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    nh.replace(spec);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    calls.push({ ms, userMs: c.user / 1e3, sysMs: c.system / 1e3 });
  }
} finally {
  nl.close();
}
process.stdout.write(`${JSON.stringify({ calls })}\n`);
