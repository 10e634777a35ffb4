// netplan's VRFs (`network: vrfs: NAME: {table, interfaces, routes, routing-policy}`), read into
// our own document and written back out. Only what maps one-to-one is accepted: any other key
// (ethernets:, a route's mtu:, …) is a problem naming its path, never silently ignored, so
// `vrfctl diff netplan.yaml` never claims "no changes" for something it did not look at.
import { stringify } from 'yaml';
import type { Desired, DesiredRoute, DesiredRule } from '../schema.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Translation {
  /** The same content in our own format, for checkDesired. */
  document: Obj;
  /** What netplan says that we do not map, one "path: problem" each. */
  problems: string[];
}

/** A YAML document is netplan's when its top level is `network:`. */
export function isNetplan(root: unknown): boolean {
  return isObj(root) && 'network' in root;
}

const NETWORK_KEYS = ['version', 'renderer', 'vrfs'];
const VRF_KEYS = ['table', 'interfaces', 'routes', 'routing-policy'];
// netplan key → our key, for the route and rule keys that mean the same.
const ROUTE_KEYS: Record<string, string> = { to: 'to', via: 'via', from: 'src', 'on-link': 'onlink', metric: 'metric', type: 'type' };
const RULE_KEYS: Record<string, string> = { from: 'from', to: 'to', priority: 'priority', mark: 'fwmark' };

export function fromNetplan(root: Obj): Translation {
  const problems: string[] = [];
  const unmapped = (path: string, what: string) => problems.push(`${path}: ${what} is not mapped by vrfctl (only network.vrfs with table, interfaces, routes and routing-policy are)`);
  const network = root.network;
  for (const k of Object.keys(root)) if (k !== 'network') unmapped(k, 'this key');
  if (!isObj(network)) return { document: {}, problems: [...problems, 'network: not a mapping'] };
  for (const k of Object.keys(network)) if (!NETWORK_KEYS.includes(k)) unmapped(`network.${k}`, 'this key');
  if (network.version !== undefined && network.version !== 2) problems.push('network.version: not 2 (netplan\'s only version)');
  const vrfs: Obj = {};
  const source = network.vrfs ?? {};
  if (!isObj(source)) problems.push('network.vrfs: not a mapping of VRF names');
  else {
    for (const [name, v] of Object.entries(source)) {
      const path = `network.vrfs.${name}`;
      if (!isObj(v)) {
        problems.push(`${path}: not a mapping (table:, interfaces:, …)`);
        continue;
      }
      for (const k of Object.keys(v)) if (!VRF_KEYS.includes(k)) unmapped(`${path}.${k}`, 'this key');
      const out: Obj = { table: v.table };
      if (v.interfaces !== undefined) out.ports = v.interfaces;
      out.routes = renameEach(v.routes, ROUTE_KEYS, `${path}.routes`, v.table, problems);
      out.rules = renameEach(v['routing-policy'], RULE_KEYS, `${path}.routing-policy`, v.table, problems);
      vrfs[name] = out;
    }
  }
  return { document: { vrfs }, problems };
}

/** Renames netplan's keys to ours; a `table:` equal to the VRF's is dropped (it is implied there). */
function renameEach(list: unknown, keys: Record<string, string>, path: string, vrfTable: unknown, problems: string[]): unknown {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return list; // the checker names it "not a list"
  return list.map((item, i) => {
    if (!isObj(item)) return item;
    const out: Obj = {};
    for (const [k, value] of Object.entries(item)) {
      if (k === 'table') {
        if (value !== vrfTable) problems.push(`${path}[${i}].table: ${String(value)} is not the VRF's table (${String(vrfTable)}): vrfctl puts a VRF's routes and rules in its table`);
      } else if (k in keys) out[keys[k]] = value;
      else problems.push(`${path}[${i}].${k}: this key is not mapped by vrfctl (${Object.keys(keys).join(', ')} and table are)`);
    }
    return out;
  });
}

/** Our file as netplan YAML; what netplan cannot say is a problem naming our path. */
export function toNetplan(d: Desired): { text: string; problems: string[] } {
  const problems: string[] = [];
  for (const r of d.routes) if (!d.vrfs.some((v) => v.table === r.table)) problems.push(`${r.path}: netplan's vrfs: cannot hold a route outside a VRF's table`);
  for (const r of d.rules) if (!d.vrfs.some((v) => v.table === r.table)) problems.push(`${r.path}: netplan's vrfs: cannot hold a rule to a table that is not a VRF's`);
  for (const s of d.sysctls) problems.push(`${s.path}: netplan has no sysctls`);
  const vrfs: Obj = {};
  for (const v of d.vrfs) {
    if (v.loopback) problems.push(`${v.path}.loopback: netplan's vrfs: take no addresses (use the networkd export, or add 127.0.0.1/8 another way)`);
    const out: Obj = { table: v.table };
    if (v.ports.length > 0) out.interfaces = [...v.ports];
    const routes = d.routes.filter((r) => r.table === v.table).map((r) => netplanRoute(r, problems));
    const rules = d.rules.filter((r) => r.table === v.table).map((r) => netplanRule(r, problems));
    if (routes.length > 0) out.routes = routes;
    if (rules.length > 0) out['routing-policy'] = rules;
    vrfs[v.name] = out;
  }
  return { text: stringify({ network: { version: 2, vrfs } }), problems };
}

function netplanRoute(r: DesiredRoute, problems: string[]): Obj {
  if (r.dev !== undefined) problems.push(`${r.path}.dev: netplan's vrfs: routes take no device (netplan puts a route on the interface that lists it)`);
  const out: Obj = { to: r.dst === '0.0.0.0/0' || r.dst === '::/0' ? 'default' : r.dst };
  if (r.gateway !== undefined) out.via = r.gateway;
  if (r.prefsrc !== undefined) out.from = r.prefsrc;
  if (r.onlink) out['on-link'] = true;
  if (r.metric !== (r.family === 6 ? 1024 : 0)) out.metric = r.metric;
  if (r.type !== 'unicast') out.type = r.type;
  // "default" alone is IPv4 to us; an IPv6 default without a gateway would come back as IPv4.
  if (out.to === 'default' && r.family === 6 && r.gateway === undefined && r.prefsrc === undefined) out.to = '::/0';
  return out;
}

function netplanRule(r: DesiredRule, problems: string[]): Obj {
  if (r.iif !== undefined || r.oif !== undefined) problems.push(`${r.path}: netplan's routing-policy has no iif/oif`);
  if (r.family === 6 && r.src === undefined && r.dst === undefined) problems.push(`${r.path}: an IPv6 rule without from/to cannot say its family in netplan`);
  const out: Obj = { priority: r.priority };
  if (r.src !== undefined) out.from = r.src;
  if (r.dst !== undefined) out.to = r.dst;
  if (r.fwmark !== undefined) out.mark = r.fwmark;
  return out;
}
