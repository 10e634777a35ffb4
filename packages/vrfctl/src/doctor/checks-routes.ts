// Routes that cross between VRFs: a default route of the main table left on a device that now
// belongs to a VRF, and routes in a VRF's table through a device outside that VRF.
import type { Route } from '@vrfctl/rtnetlink';
import { RT_TABLE_MAIN } from '@vrfctl/route';
import type { Finding } from './finding.js';
import { familyOf, isDefault, viaDevice, type HostView } from './view.js';

const V6_DEFAULT_METRIC = 1024;

/** "default via 192.0.2.1 dev eth0", as `route add/del` take it (table left to the caller). */
export function routeWords(view: HostView, r: Route): string {
  const family = familyOf(r.family);
  const w: string[] = [];
  if (r.type !== 'unicast') w.push(String(r.type));
  w.push(isDefault(r) ? 'default' : (r.dst as string));
  if (r.gateway) w.push('via', r.gateway);
  if (r.oif !== undefined) w.push('dev', view.name(r.oif));
  const metric = r.priority ?? 0;
  if (metric !== (family === 6 ? V6_DEFAULT_METRIC : 0)) w.push('metric', String(metric));
  return w.join(' ');
}

function devicesOf(r: Route): number[] {
  return [...(r.oif !== undefined ? [r.oif] : []), ...(r.multipath ?? []).map((h) => h.ifindex)];
}

export function checkRoutes(view: HostView): Finding[] {
  const out: Finding[] = [];
  const vrfTables = new Set(view.vrfs.map((v) => v.table));
  for (const r of view.state.routes) {
    if (r.type === 'local' || r.type === 'broadcast' || r.type === 'multicast' || r.type === 'anycast') continue;
    const family = familyOf(r.family);
    const six = family === 6 ? '-6 ' : '';
    if (r.table === RT_TABLE_MAIN && isDefault(r)) {
      for (const index of devicesOf(r)) {
        const vrf = view.vrfOfDevice(index);
        if (!vrf || vrf.link.index === index) continue;
        const words = routeWords(view, r);
        const hasDefault = view.routes(vrf.table, family).some((x) => isDefault(x) && x.type === 'unicast');
        const move = hasDefault ? '' : `${view.vrfctl(`${six}route add ${words} vrf ${vrf.name}`)} && `;
        out.push({
          id: 'main-default-via-port', severity: 'error', vrfs: [vrf.name], subject: `${six}${words}`,
          message: `the main table's default route (${words}) goes out ${view.name(index)}, a port of VRF ${vrf.name}: the default VRF's traffic leaves through ${vrf.name}'s network and the replies arrive in ${vrf.name}, where no socket of the default VRF sees them`,
          fix: `${move}${view.vrfctl(`${six}route del ${words}`)}`,
          safe: false,
        });
        break;
      }
      continue;
    }
    // Reject routes (unreachable, prohibit, blackhole, throw) show lo as their device: they go nowhere.
    if (!vrfTables.has(r.table) || r.type !== 'unicast') continue;
    for (const vrf of view.vrfs.filter((v) => v.table === r.table)) {
      // Inside: a device of a VRF on this table (two VRFs sharing one is duplicate-table's business).
      const outside = devicesOf(r).filter((i) => view.vrfOfDevice(i)?.table !== r.table);
      if (outside.length === 0) continue;
      const words = routeWords(view, r);
      const dev = view.name(outside[0]);
      out.push({
        id: 'route-via-outside-dev', severity: 'note', vrfs: [vrf.name], subject: `${six}${words} table ${r.table} ${vrf.name}`,
        message: `route ${words} in table ${r.table} of VRF ${vrf.name} leaves through ${dev}, which is in ${view.vrfText(outside[0])}: traffic leaks out of ${vrf.name} (fine if that is the intent)`,
        fix: view.vrfctl(`${six}route del ${words} table ${r.table}`),
        safe: false,
      });
    }
  }
  // A port that carries global IPv4 but no global IPv6: enslaving cycles the port, and without
  // keep_addr_on_down its IPv6 addresses do not come back.
  for (const vrf of view.vrfs) {
    for (const p of view.ports(vrf)) {
      const pname = p.ifname ?? `if${p.index}`;
      const addrs = view.state.addresses.filter((a) => a.index === p.index && (a.scope === 'global' || a.scope === 0));
      if (!addrs.some((a) => familyOf(a.family) === 4) || addrs.some((a) => familyOf(a.family) === 6)) continue;
      const all = view.sysctl('net.ipv6.conf.all.keep_addr_on_down') ?? 0;
      const dev = view.sysctl(`net.ipv6.conf.${pname.replace(/\./g, '/')}.keep_addr_on_down`);
      if (dev === undefined) continue; // no IPv6 on this device
      const keep = (all !== 0 ? all : dev) > 0;
      if (keep) continue;
      out.push({
        id: 'ipv6-addr-lost', severity: 'note', vrfs: [vrf.name], subject: pname,
        message: `${pname}, a port of VRF ${vrf.name}, has IPv4 addresses but no global IPv6 address: enslaving cycles the port and, with keep_addr_on_down ${all === 0 ? dev : all}, drops its IPv6 addresses (if it had any, they are gone)`,
        fix: view.vrfctl('sysctl set net.ipv6.conf.all.keep_addr_on_down=1'),
        hint: `then add ${pname}'s IPv6 addresses again if it had any: ${view.vrfctl(`addr add ADDRESS/LEN dev ${pname}`)}`,
        safe: false,
      });
    }
  }
  return out;
}
