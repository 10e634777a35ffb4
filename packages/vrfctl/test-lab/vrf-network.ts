// The network the nexthop lab tests start from (needs the vrf driver).
import { ip, settle } from '../../route/test/netns.js';

/** VRF blue (table 10) with port v0 (10.0.0.1/24, 2001:db8::1/64), and w0 (10.1.0.1/24) in the main table. */
export function vrfNetwork(ns: string, opts: { vrf?: boolean } = {}): void {
  for (const scope of ['all', 'default']) {
    ip(ns, 'netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${scope}.accept_dad=0`, `net.ipv6.conf.${scope}.keep_addr_on_down=1`);
  }
  ip(ns, 'link', 'add', 'v0', 'address', '02:00:00:00:00:a0', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:a1');
  ip(ns, 'link', 'add', 'w0', 'address', '02:00:00:00:00:b0', 'type', 'veth', 'peer', 'name', 'w1', 'address', '02:00:00:00:00:b1');
  if (opts.vrf !== false) {
    ip(ns, 'link', 'add', 'blue', 'type', 'vrf', 'table', '10');
    ip(ns, 'link', 'set', 'blue', 'up');
    ip(ns, 'link', 'set', 'v0', 'master', 'blue');
  }
  for (const dev of ['v0', 'v1', 'w0', 'w1']) ip(ns, 'link', 'set', dev, 'up');
  ip(ns, 'addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ip(ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'w0');
  settle(ns);
}
