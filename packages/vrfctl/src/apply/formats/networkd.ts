// systemd-networkd's VRFs, read into our own document and written back out:
//   NAME.netdev   [NetDev] Name=NAME Kind=vrf, [VRF] Table=N (older key: TableId=)
//   NAME.network  [Match] Name=NAME; [Address] 127.0.0.1/8 and ::1/128 (our `loopback`);
//                 [Route] and [RoutingPolicyRule] sections
//   PORT.network  [Match] Name=PORT, [Network] VRF=NAME; [Route] sections (dev PORT)
// As with netplan, every section, key or file we do not map is a problem naming it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Desired, DesiredRoute, DesiredRule } from '../schema.js';
import { formatIni, parseIni, type IniSection } from './ini.js';
import type { Translation } from './netplan.js';

type Obj = Record<string, unknown>;

interface NetworkFile {
  file: string;
  device: string;
  vrf?: string;
  addresses: string[];
  routes: Obj[];
  rules: Obj[];
}

const LOOPBACK = ['127.0.0.1/8', '::1/128'];
const ROUTE_KEYS: Record<string, string> = {
  Destination: 'to', Gateway: 'via', Metric: 'metric', Type: 'type', GatewayOnLink: 'onlink', PreferredSource: 'src', Table: 'table',
};
const RULE_KEYS: Record<string, string> = {
  From: 'from', To: 'to', Priority: 'priority', Table: 'table', FirewallMark: 'fwmark', IncomingInterface: 'iif', OutgoingInterface: 'oif', Family: 'family',
};

/** Reads every .netdev and .network file of a directory (what networkd itself reads). */
export function readNetworkdDir(dir: string): Translation {
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile()).sort();
  return fromNetworkd(files.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') })));
}

export function fromNetworkd(files: readonly { name: string; text: string }[]): Translation {
  const problems: string[] = [];
  const vrfs = new Map<string, { file: string; table: unknown }>();
  const networks: NetworkFile[] = [];
  for (const f of files) {
    const sections = parseIni(f.text, f.name);
    if (f.name.endsWith('.netdev')) readNetdev(f.name, sections, vrfs, problems);
    else if (f.name.endsWith('.network')) {
      const n = readNetwork(f.name, sections, problems);
      if (n) networks.push(n);
    } else problems.push(`${f.name}: not a .netdev or .network file (vrfctl maps only those)`);
  }
  const document: { vrfs: Obj; routes: Obj[]; rules: Obj[] } = { vrfs: {}, routes: [], rules: [] };
  for (const [name, v] of vrfs) document.vrfs[name] = { table: v.table, ports: [] as string[], loopback: false };
  for (const n of networks) {
    const ownVrf = vrfs.get(n.device);
    const vrfName = ownVrf ? n.device : n.vrf;
    if (n.vrf !== undefined && !vrfs.has(n.vrf)) problems.push(`${n.file}: VRF=${n.vrf}: no .netdev declares a VRF of that name`);
    if (!ownVrf && n.vrf === undefined) problems.push(`${n.file}: [Match] Name=${n.device} is neither a VRF nor one of its ports (vrfctl maps only those)`);
    const target = vrfName !== undefined ? (document.vrfs[vrfName] as Obj | undefined) : undefined;
    if (target && n.vrf !== undefined && !ownVrf) (target.ports as string[]).push(n.device);
    if (n.addresses.length > 0) {
      const sorted = [...n.addresses].sort();
      if (!ownVrf || sorted.join() !== [...LOOPBACK].sort().join()) problems.push(`${n.file}: [Address]: vrfctl maps only 127.0.0.1/8 with ::1/128 on a VRF device (its "loopback")`);
      else if (target) target.loopback = true;
    }
    const table = vrfName !== undefined ? vrfs.get(vrfName)?.table : undefined;
    for (const r of n.routes) {
      // networkd puts a route on the link whose file holds it, in that link's VRF table.
      // No Destination= is networkd's default route.
      const route: Obj = { to: 'default', ...r, table: r.table ?? table ?? 'main' };
      if (route.type === undefined || route.type === 'unicast') route.dev = n.device;
      document.routes.push(route);
    }
    for (const r of n.rules) document.rules.push({ ...r, table: r.table ?? table ?? 'main' });
  }
  return { document, problems };
}

function readNetdev(file: string, sections: IniSection[], vrfs: Map<string, { file: string; table: unknown }>, problems: string[]): void {
  let name: string | undefined;
  let kind: string | undefined;
  let table: unknown;
  for (const s of sections) {
    for (const e of s.entries) {
      const at = `${file}:${e.line}: [${s.name}] ${e.key}=`;
      if (s.name === 'NetDev' && e.key === 'Name') name = e.value;
      else if (s.name === 'NetDev' && e.key === 'Kind') kind = e.value;
      else if (s.name === 'VRF' && (e.key === 'Table' || e.key === 'TableId')) table = /^\d+$/.test(e.value) ? Number(e.value) : e.value;
      else problems.push(`${at}: not mapped by vrfctl (a VRF .netdev has [NetDev] Name=, Kind=vrf and [VRF] Table=)`);
    }
  }
  if (kind !== 'vrf') problems.push(`${file}: Kind=${kind ?? '(none)'}: vrfctl maps only Kind=vrf netdevs`);
  else if (name === undefined) problems.push(`${file}: [NetDev] Name= is missing`);
  else if (vrfs.has(name)) problems.push(`${file}: VRF ${name} is already declared in ${vrfs.get(name)?.file}`);
  else if (table === undefined) problems.push(`${file}: [VRF] Table= is missing`);
  else vrfs.set(name, { file, table });
}

function readNetwork(file: string, sections: IniSection[], problems: string[]): NetworkFile | undefined {
  const n: NetworkFile = { file, device: '', addresses: [], routes: [], rules: [] };
  for (const s of sections) {
    const section = s.name === 'Route' || s.name === 'RoutingPolicyRule' ? ({} as Obj) : undefined;
    for (const e of s.entries) {
      const at = `${file}:${e.line}: [${s.name}] ${e.key}=`;
      if (s.name === 'Match' && e.key === 'Name') {
        if (/\s|[*?[]/.test(e.value)) problems.push(`${at}: vrfctl needs one device name, not a list or pattern`);
        else n.device = e.value;
      } else if (s.name === 'Network' && e.key === 'VRF') n.vrf = e.value;
      else if (s.name === 'Address' && e.key === 'Address') n.addresses.push(e.value);
      else if (section && s.name === 'Route' && e.key in ROUTE_KEYS) section[ROUTE_KEYS[e.key]] = routeValue(e.key, e.value, at, problems);
      else if (section && s.name === 'RoutingPolicyRule' && e.key in RULE_KEYS) section[RULE_KEYS[e.key]] = ruleValue(e.key, e.value, at, problems);
      else problems.push(`${at}: not mapped by vrfctl`);
    }
    if (s.name === 'Route' && section) n.routes.push(section);
    if (s.name === 'RoutingPolicyRule' && section) n.rules.push(section);
  }
  if (n.device === '') {
    problems.push(`${file}: [Match] Name= is missing`);
    return undefined;
  }
  return n;
}

function routeValue(key: string, value: string, at: string, problems: string[]): unknown {
  if (key === 'Metric' || key === 'Table') return /^\d+$/.test(value) ? Number(value) : value;
  if (key === 'GatewayOnLink') return yesNo(value, at, problems);
  return value;
}

function ruleValue(key: string, value: string, at: string, problems: string[]): unknown {
  if (key === 'Priority' || key === 'Table' || key === 'FirewallMark') return /^\d+$/.test(value) ? Number(value) : value;
  if (key === 'Family') {
    if (value === 'ipv4') return 4;
    if (value === 'ipv6') return 6;
    problems.push(`${at}: vrfctl maps Family=ipv4 or ipv6 (a rule is one family)`);
  }
  return value;
}

function yesNo(value: string, at: string, problems: string[]): boolean | undefined {
  if (/^(yes|true|on|1)$/i.test(value)) return true;
  if (/^(no|false|off|0)$/i.test(value)) return false;
  problems.push(`${at}: not a boolean`);
  return undefined;
}

/** Our file as networkd files (name → text); what networkd cannot say is a problem naming our path. */
export function toNetworkd(d: Desired): { files: Map<string, string>; problems: string[] } {
  const problems: string[] = [];
  const files = new Map<string, string>();
  for (const s of d.sysctls) problems.push(`${s.path}: networkd has no global sysctls (write them to /etc/sysctl.d)`);
  const vrfOfTable = new Map(d.vrfs.map((v) => [v.table, v.name]));
  const portVrf = new Map(d.vrfs.flatMap((v) => v.ports.map((p) => [p, v.name] as const)));
  const sectionsOf = new Map<string, IniSection[]>();
  const fileFor = (device: string): IniSection[] => {
    let s = sectionsOf.get(device);
    if (!s) {
      s = [{ name: 'Match', line: 0, entries: [{ key: 'Name', value: device, line: 0 }] }];
      const vrf = portVrf.get(device);
      if (vrf) s.push({ name: 'Network', line: 0, entries: [{ key: 'VRF', value: vrf, line: 0 }] });
      sectionsOf.set(device, s);
    }
    return s;
  };
  for (const v of d.vrfs) {
    files.set(`${v.name}.netdev`, formatIni([
      { name: 'NetDev', entries: [{ key: 'Name', value: v.name }, { key: 'Kind', value: 'vrf' }] },
      { name: 'VRF', entries: [{ key: 'Table', value: String(v.table) }] },
    ]));
    const own = fileFor(v.name);
    if (v.loopback) for (const a of LOOPBACK) own.push(section('Address', [['Address', a]]));
    for (const p of v.ports) fileFor(p);
  }
  for (const r of d.routes) {
    const device = r.type === 'unicast' ? r.dev : vrfOfTable.get(r.table);
    if (device === undefined) {
      problems.push(`${r.path}: networkd puts a route on a device: give it "dev:" (a VRF port or the VRF)`);
      continue;
    }
    const deviceTable = device === undefined ? undefined : d.vrfs.find((v) => v.name === device || v.name === portVrf.get(device))?.table;
    if (!sectionsOf.has(device) && deviceTable === undefined) problems.push(`${r.path}: networkd would need a .network file for ${device}, which is not a VRF or a VRF port here`);
    fileFor(device).push(networkdRoute(r, deviceTable));
  }
  for (const r of d.rules) {
    const vrf = vrfOfTable.get(r.table) ?? d.vrfs[0]?.name;
    if (vrf === undefined) {
      problems.push(`${r.path}: networkd keeps rules in a .network file: there is no VRF to hold it`);
      continue;
    }
    fileFor(vrf).push(networkdRule(r));
  }
  for (const [device, sections] of sectionsOf) files.set(`${device}.network`, formatIni(sections));
  return { files, problems };
}

function section(name: string, pairs: [string, string][]): IniSection {
  return { name, line: 0, entries: pairs.map(([key, value]) => ({ key, value, line: 0 })) };
}

function networkdRoute(r: DesiredRoute, deviceTable: number | undefined): IniSection {
  const pairs: [string, string][] = [['Destination', r.dst]];
  if (r.gateway !== undefined) pairs.push(['Gateway', r.gateway]);
  if (r.prefsrc !== undefined) pairs.push(['PreferredSource', r.prefsrc]);
  if (r.onlink) pairs.push(['GatewayOnLink', 'yes']);
  if (r.metric !== (r.family === 6 ? 1024 : 0)) pairs.push(['Metric', String(r.metric)]);
  if (r.type !== 'unicast') pairs.push(['Type', r.type]);
  if (r.table !== (deviceTable ?? 254)) pairs.push(['Table', String(r.table)]);
  return section('Route', pairs);
}

function networkdRule(r: DesiredRule): IniSection {
  const pairs: [string, string][] = [['Priority', String(r.priority)], ['Family', r.family === 6 ? 'ipv6' : 'ipv4']];
  if (r.src !== undefined) pairs.push(['From', r.src]);
  if (r.dst !== undefined) pairs.push(['To', r.dst]);
  if (r.iif !== undefined) pairs.push(['IncomingInterface', r.iif]);
  if (r.oif !== undefined) pairs.push(['OutgoingInterface', r.oif]);
  if (r.fwmark !== undefined) pairs.push(['FirewallMark', String(r.fwmark)]);
  pairs.push(['Table', String(r.table)]);
  return section('RoutingPolicyRule', pairs);
}
