// The VRF devices themselves: up, with ports that are up, a loopback address, an unreachable
// default in both families, a table with a name, and a table of their own.
import { RT_TABLE_MAIN } from '@vrfctl/route';
import { VRF_DEFAULT_METRIC } from '@vrfctl/vrf';
import type { Finding } from './finding.js';
import { keepAddrKey } from './state.js';
import { linkUpStep, loopbackAddressStep, tableNameStep, unreachableDefaultStep } from './fix-steps.js';
import { familyName, familyOf, isDefault, type HostView } from './view.js';

/** IPv6 off for the device (or the host) means it has no conf directory: no ::1 to expect. */
function ipv6Enabled(view: HostView, dev: string): boolean {
  return view.sysctl(keepAddrKey(dev)) !== undefined;
}

export function checkVrfDevices(view: HostView): Finding[] {
  const out: Finding[] = [];
  for (const vrf of view.vrfs) {
    const { name, link, table } = vrf;
    if (!link.flags.includes('UP')) {
      out.push({
        id: 'vrf-down', severity: 'error', vrfs: [name], subject: name,
        message: `VRF ${name} is down: nothing is routed in table ${table} and its ports pass no traffic for it`,
        fix: view.vrfctl(`link set ${name} up`), safe: true, step: linkUpStep(link, name),
      });
    }
    const ports = view.ports(vrf);
    if (ports.length === 0) {
      out.push({
        id: 'vrf-no-ports', severity: 'warning', vrfs: [name], subject: name,
        message: `VRF ${name} has no ports: no network reaches it, so whatever runs in it can talk to nothing but itself`,
        fix: view.vrfctl(`enslave ${name} DEV`), hint: `DEV: the device of the network ${name} is for`, safe: false,
      });
    }
    for (const p of ports) {
      const pname = p.ifname ?? `if${p.index}`;
      if (p.flags.includes('UP')) continue;
      out.push({
        id: 'port-down', severity: 'warning', vrfs: [name], subject: pname,
        message: `${pname}, a port of VRF ${name}, is down: ${name} gets no traffic through it`,
        fix: view.vrfctl(`link set ${pname} up`), safe: true, step: linkUpStep(p, pname),
      });
    }
    const addrs = view.state.addresses.filter((a) => a.index === link.index);
    const hasV4 = addrs.some((a) => familyOf(a.family) === 4 && (a.local ?? a.address ?? '').startsWith('127.'));
    const hasV6 = addrs.some((a) => familyOf(a.family) === 6 && (a.local ?? a.address) === '::1');
    if (!hasV4) {
      out.push({
        id: 'vrf-no-loopback', severity: 'warning', vrfs: [name], subject: `${name} inet`,
        message: `VRF ${name} has no 127.0.0.1/8: from inside ${name}, 127.0.0.1 and 127.0.0.53 are not local but go by table ${table}'s routes (out of a port, or nowhere)`,
        fix: view.vrfctl(`addr add 127.0.0.1/8 dev ${name}`), safe: true, step: loopbackAddressStep(link, name, 4),
      });
    }
    if (!hasV6 && ipv6Enabled(view, name)) {
      out.push({
        id: 'vrf-no-loopback', severity: 'warning', vrfs: [name], subject: `${name} inet6`,
        message: `VRF ${name} has no ::1: from inside ${name}, ::1 is not local but goes by table ${table}'s routes`,
        fix: view.vrfctl(`addr add ::1/128 dev ${name}`), safe: true, step: loopbackAddressStep(link, name, 6),
      });
    }
    for (const family of [4, 6] as const) {
      if (view.routes(table, family).some((r) => isDefault(r) && r.type !== 'local' && r.type !== 'broadcast')) continue;
      // An error when the main table has somewhere to leak to now (a route out of a device that
      // is not lo and not in this VRF); a warning while it has none.
      const leak = view.routes(RT_TABLE_MAIN, family).find((r) => r.type === 'unicast' && r.oif !== undefined &&
        !view.link(r.oif)?.flags.includes('LOOPBACK') && view.vrfOfDevice(r.oif)?.link.index !== link.index);
      const what = leak
        ? `so ${name}'s ${familyName(family)} traffic leaks into the default VRF (out of ${view.name(leak.oif as number)})`
        : `which has no ${familyName(family)} route out now, but ${name}'s traffic leaks as soon as it has one`;
      out.push({
        id: 'vrf-no-unreachable-default', severity: leak ? 'error' : 'warning', vrfs: [name], subject: `${name} ${family === 6 ? 'inet6' : 'inet'}`,
        message: `table ${table} of VRF ${name} has no ${familyName(family)} default route: lookups that miss it fall through to the next rules (the main table), ${what}`,
        fix: view.vrfctl(`${family === 6 ? '-6 ' : ''}route add unreachable default metric ${VRF_DEFAULT_METRIC} vrf ${name}`),
        safe: true, step: unreachableDefaultStep(family, table),
      });
    }
    if (view.state.tableNames.lookup(table) === undefined) {
      const free = !view.state.tableNames.taken(name);
      const file = `${view.state.iproute2Dir}/rt_tables.d/${name}.conf`;
      out.push({
        id: 'table-unnamed', severity: 'note', vrfs: [name], subject: String(table),
        message: `table ${table} of VRF ${name} has no name in ${view.state.tableNames.files}(.d): \`ip route show table ${name}\` fails and listings show ${table}`,
        fix: free ? `echo '${table} ${name}' > ${file}` : `add a line "${table} NAME" to ${view.state.iproute2Dir}/rt_tables.d/NAME.conf (the name "${name}" is taken)`,
        safe: free, ...(free ? { step: tableNameStep(name, table, view.state.iproute2Dir) } : {}),
      });
    }
  }
  // Two VRFs on one table: the kernel refuses it only with net.vrf.strict_mode=1.
  const byTable = new Map<number, string[]>();
  for (const v of view.vrfs) byTable.set(v.table, [...(byTable.get(v.table) ?? []), v.name]);
  const used = new Set(view.state.routes.map((r) => r.table));
  for (const v of view.vrfs) used.add(v.table);
  for (const [table, names] of byTable) {
    if (names.length < 2) continue;
    let free = table + 1;
    while (used.has(free) || (free >= 253 && free <= 255)) free++;
    const strict = view.sysctl('net.vrf.strict_mode');
    const [, second] = names;
    out.push({
      id: 'duplicate-table', severity: 'error', vrfs: names, subject: String(table),
      message: `VRFs ${names.join(' and ')} share table ${table} (net.vrf.strict_mode is ${strict ?? 0}): their routes mix, each reaches the other's networks and neither is isolated`,
      fix: `${view.vrfctl(`del ${second}`)} && ${view.vrfctl(`add ${second} table ${free} --loopback`)} && ${view.vrfctl('sysctl set net.vrf.strict_mode=1')}`,
      hint: `then enslave ${second}'s ports and add its routes again; strict_mode=1 makes the kernel refuse shared tables`,
      safe: false,
    });
  }
  return out;
}
