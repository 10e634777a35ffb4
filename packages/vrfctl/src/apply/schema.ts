// The apply file: YAML declaring VRFs (netplan-like `vrfs:`), routes and rules in tables, and
// the VRF sysctls. The whole file is checked before anything is read from the kernel; every
// problem is reported with its path ("vrfs.mgmt.routes[0].via: not an IP address").
import { AF_INET6, formatIP, parseIP, parsePrefix, printable } from '@vrfctl/netlink';
import { ArgumentError, validateInterfaceName } from '@vrfctl/iproute2';
import { parseTable } from '@vrfctl/iproute2';
import { parseSysctlAssignment, validateNewVrfName, validateVrfTable } from '@vrfctl/vrf';
import { parseDocument } from 'yaml';

export type Family = 4 | 6;
export type RouteType = 'unicast' | 'blackhole' | 'unreachable' | 'prohibit';

export interface DesiredRoute {
  path: string;
  family: Family;
  /** Canonical "addr/len". */
  dst: string;
  gateway?: string;
  dev?: string;
  /** As the kernel stores it: IPv6 routes without a metric get 1024. */
  metric: number;
  type: RouteType;
  prefsrc?: string;
  onlink: boolean;
  table: number;
  /** A nexthop object (RTA_NH_ID) instead of via/dev. */
  nhid?: number;
}

/** A nexthop object or group apply owns (protocol 240), by id. */
export interface DesiredNexthop {
  path: string;
  id: number;
  gateway?: string;
  dev?: string;
  onlink: boolean;
  blackhole: boolean;
  fdb: boolean;
  group?: Array<{ id: number; weight: number }>;
  type?: 'mpath' | 'resilient';
  /** Resilient groups: table size and timers in seconds. */
  buckets?: number;
  idleTimer?: number;
  unbalancedTimer?: number;
}

export interface DesiredRule {
  path: string;
  family: Family;
  priority: number;
  src?: string;
  dst?: string;
  iif?: string;
  oif?: string;
  fwmark?: number;
  table: number;
}

export interface DesiredVrf {
  path: string;
  name: string;
  table: number;
  ports: string[];
  loopback: boolean;
}

export interface DesiredSysctl {
  path: string;
  key: string;
  value: number;
}

export interface Desired {
  vrfs: DesiredVrf[];
  nexthops: DesiredNexthop[];
  routes: DesiredRoute[];
  rules: DesiredRule[];
  sysctls: DesiredSysctl[];
}

/** Everything wrong with a file, one "path: problem" per entry. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const RT_TABLE_MAIN = 254;
const IPV6_DEFAULT_METRIC = 1024;
const ROUTE_TYPES: readonly RouteType[] = ['unicast', 'blackhole', 'unreachable', 'prohibit'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects problems while walking the document. */
class Checker {
  readonly problems: string[] = [];
  fail(path: string, problem: string): undefined {
    this.problems.push(`${path}: ${problem}`);
    return undefined;
  }
  keys(o: Obj, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail(`${path}.${printable(k, 20)}`, `unknown key (expected one of: ${allowed.join(', ')})`);
  }
  uint(v: unknown, path: string, min: number, max: number): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return this.fail(path, `not a whole number from ${min} to ${max}`);
    return v;
  }
  bool(v: unknown, path: string): boolean | undefined {
    if (typeof v !== 'boolean') return this.fail(path, 'not true or false');
    return v;
  }
  ifname(v: unknown, path: string): string | undefined {
    if (typeof v !== 'string') return this.fail(path, 'not a device name');
    try {
      return validateInterfaceName(v);
    } catch (err) {
      return this.fail(path, (err as Error).message);
    }
  }
  address(v: unknown, path: string): { text: string; family: Family } | undefined {
    const ip = typeof v === 'string' ? parseIP(v) : undefined;
    if (!ip) return this.fail(path, 'not an IP address');
    return { text: formatIP(ip.bytes), family: ip.family === AF_INET6 ? 6 : 4 };
  }
  /** A network prefix as "addr/len" (a bare address is a host route), host bits refused. */
  prefix(v: unknown, path: string): { text: string; family: Family } | undefined {
    const p = typeof v === 'string' ? parsePrefix(v) : undefined;
    if (!p) return this.fail(path, 'not an IP prefix');
    const bytes = Uint8Array.from(p.bytes);
    for (let bit = p.length; bit < bytes.length * 8; bit++) {
      if (bytes[bit >> 3] & (0x80 >> (bit & 7))) return this.fail(path, `host bits set: did you mean a network (prefix length ${p.length})?`);
    }
    return { text: `${formatIP(bytes)}/${p.length}`, family: p.family === AF_INET6 ? 6 : 4 };
  }
  table(v: unknown, path: string): number | undefined {
    if (typeof v === 'number') return this.uint(v, path, 1, 0xffffffff);
    if (typeof v !== 'string') return this.fail(path, 'not a table id or name');
    try {
      return parseTable(v);
    } catch (err) {
      return this.fail(path, (err as Error).message);
    }
  }
  list(v: unknown, path: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(path, 'not a list') ?? [];
    return v;
  }
}

function familyKey(c: Checker, o: Obj, path: string): Family | undefined {
  if (o.family === undefined) return undefined;
  if (o.family === 4 || o.family === 6) return o.family;
  return c.fail(`${path}.family`, 'not 4 or 6');
}

function route(c: Checker, v: unknown, path: string, vrfTable: number | undefined): DesiredRoute | undefined {
  if (!isObj(v)) return c.fail(path, 'not a mapping (to:, via:, dev:, …)');
  c.keys(v, path, ['to', 'via', 'dev', 'nhid', 'metric', 'type', 'src', 'onlink', 'family', ...(vrfTable === undefined ? ['table'] : [])]);
  let family = familyKey(c, v, path);
  const via = v.via !== undefined ? c.address(v.via, `${path}.via`) : undefined;
  const src = v.src !== undefined ? c.address(v.src, `${path}.src`) : undefined;
  let dst: string | undefined;
  if (v.to === undefined) c.fail(`${path}.to`, 'missing (a prefix or "default")');
  else if (v.to === 'default') {
    family ??= via?.family ?? src?.family ?? 4;
    dst = family === 6 ? '::/0' : '0.0.0.0/0';
  } else {
    const p = c.prefix(v.to, `${path}.to`);
    if (p) {
      if (family !== undefined && family !== p.family) c.fail(`${path}.to`, `not an IPv${family} prefix`);
      family = p.family;
      dst = p.text;
    }
  }
  family ??= 4;
  if (via && via.family !== family) c.fail(`${path}.via`, `not an IPv${family} address (the route is IPv${family})`);
  if (src && src.family !== family) c.fail(`${path}.src`, `not an IPv${family} address (the route is IPv${family})`);
  const type = v.type === undefined ? 'unicast' : ROUTE_TYPES.includes(v.type as RouteType) ? (v.type as RouteType) : c.fail(`${path}.type`, `not one of ${ROUTE_TYPES.join(', ')}`);
  const dev = v.dev !== undefined ? c.ifname(v.dev, `${path}.dev`) : undefined;
  const nhid = v.nhid !== undefined ? c.uint(v.nhid, `${path}.nhid`, 1, 0xffffffff) : undefined;
  if (v.nhid !== undefined && (v.via !== undefined || v.dev !== undefined || v.onlink !== undefined)) {
    c.fail(path, 'a route with "nhid" takes no "via", "dev" or "onlink": the nexthop object has them');
  }
  if (type === 'unicast' && !via && dev === undefined && v.via === undefined && v.dev === undefined && v.nhid === undefined) {
    c.fail(path, 'a unicast route needs "via", "dev" or "nhid"');
  }
  if (type !== undefined && type !== 'unicast' && (v.via !== undefined || v.dev !== undefined)) c.fail(path, `a ${type} route takes no "via" or "dev"`);
  const metric = v.metric !== undefined ? c.uint(v.metric, `${path}.metric`, 0, 0xffffffff) : family === 6 ? IPV6_DEFAULT_METRIC : 0;
  const onlink = v.onlink !== undefined ? c.bool(v.onlink, `${path}.onlink`) : false;
  const table = vrfTable ?? (v.table !== undefined ? c.table(v.table, `${path}.table`) : RT_TABLE_MAIN);
  if (dst === undefined || type === undefined || metric === undefined || onlink === undefined || table === undefined) return undefined;
  return {
    path, family, dst, type, metric, onlink, table,
    ...(via ? { gateway: via.text } : {}), ...(dev !== undefined ? { dev } : {}), ...(src ? { prefsrc: src.text } : {}),
    ...(nhid !== undefined ? { nhid } : {}),
  };
}

const NEXTHOP_KEYS = ['id', 'via', 'dev', 'onlink', 'blackhole', 'fdb', 'group', 'type', 'buckets', 'idle_timer', 'unbalanced_timer'];

/** A group as a list of ids or {id, weight}, or ip's text "1,3/2". */
function groupMembers(c: Checker, v: unknown, path: string): Array<{ id: number; weight: number }> | undefined {
  let items: unknown[];
  if (typeof v === 'string') {
    items = v.split('/').map((part) => {
      const [id, weight] = part.split(',');
      return { id: /^\d+$/.test(id) ? Number(id) : id, ...(weight !== undefined ? { weight: /^\d+$/.test(weight) ? Number(weight) : weight } : {}) };
    });
  } else if (Array.isArray(v)) items = v;
  else return c.fail(path, 'not a list of nexthop ids (or "1,3/2")');
  if (items.length === 0) return c.fail(path, 'an empty group');
  const out: Array<{ id: number; weight: number }> = [];
  items.forEach((m, i) => {
    const at = `${path}[${i}]`;
    if (typeof m === 'number') {
      const id = c.uint(m, at, 1, 0xffffffff);
      if (id !== undefined) out.push({ id, weight: 1 });
    } else if (isObj(m)) {
      c.keys(m, at, ['id', 'weight']);
      const id = c.uint(m.id, `${at}.id`, 1, 0xffffffff);
      const weight = m.weight === undefined ? 1 : c.uint(m.weight, `${at}.weight`, 1, 256);
      if (id !== undefined && weight !== undefined) out.push({ id, weight });
    } else c.fail(at, 'not a nexthop id or {id, weight}');
  });
  return out.length === items.length ? out : undefined;
}

function nexthop(c: Checker, v: unknown, path: string): DesiredNexthop | undefined {
  if (!isObj(v)) return c.fail(path, 'not a mapping (id:, via:, dev:, group:, …)');
  c.keys(v, path, NEXTHOP_KEYS);
  const id = v.id === undefined ? c.fail(`${path}.id`, 'missing (nexthop objects are kept by id, 1 to 4294967295)') : c.uint(v.id, `${path}.id`, 1, 0xffffffff);
  const via = v.via !== undefined ? c.address(v.via, `${path}.via`) : undefined;
  const dev = v.dev !== undefined ? c.ifname(v.dev, `${path}.dev`) : undefined;
  const onlink = v.onlink !== undefined ? c.bool(v.onlink, `${path}.onlink`) : false;
  const blackhole = v.blackhole !== undefined ? c.bool(v.blackhole, `${path}.blackhole`) : false;
  const fdb = v.fdb !== undefined ? c.bool(v.fdb, `${path}.fdb`) : false;
  const group = v.group !== undefined ? groupMembers(c, v.group, `${path}.group`) : undefined;
  const type = v.type === undefined ? undefined : v.type === 'mpath' || v.type === 'resilient' ? v.type : c.fail(`${path}.type`, 'not mpath or resilient');
  const timer = (k: string) => (v[k] !== undefined ? c.uint(v[k], `${path}.${k}`, 0, Math.floor(0xffffffff / 100) - 1) : undefined);
  const buckets = v.buckets !== undefined ? c.uint(v.buckets, `${path}.buckets`, 1, 0xffff) : undefined;
  const idleTimer = timer('idle_timer');
  const unbalancedTimer = timer('unbalanced_timer');
  if (v.group !== undefined && (v.via !== undefined || v.dev !== undefined || v.blackhole !== undefined)) c.fail(path, 'a group takes no "via", "dev" or "blackhole": its members have them');
  if (blackhole && (v.via !== undefined || v.dev !== undefined)) c.fail(path, 'a blackhole takes no "via" or "dev"');
  if (v.group === undefined && !blackhole && v.via === undefined && v.dev === undefined) c.fail(path, 'a nexthop needs "via", "dev", "blackhole" or "group"');
  if (v.group === undefined && v.type !== undefined) c.fail(`${path}.type`, 'only a group has a type');
  const resilientKeys = ['buckets', 'idle_timer', 'unbalanced_timer'].filter((k) => v[k] !== undefined);
  if (resilientKeys.length > 0 && type !== 'resilient') c.fail(path, `${resilientKeys.join(', ')} go with "type: resilient"`);
  if (type === 'resilient' && v.buckets === undefined) c.fail(`${path}.buckets`, 'missing (a resilient group needs its number of buckets)');
  if (id === undefined || onlink === undefined || blackhole === undefined || fdb === undefined) return undefined;
  if ((v.via !== undefined && !via) || (v.dev !== undefined && dev === undefined) || (v.group !== undefined && !group)) return undefined;
  return {
    path, id, onlink, blackhole, fdb,
    ...(via ? { gateway: via.text } : {}), ...(dev !== undefined ? { dev } : {}), ...(group ? { group } : {}),
    ...(type ? { type } : {}), ...(buckets !== undefined ? { buckets } : {}), ...(idleTimer !== undefined ? { idleTimer } : {}),
    ...(unbalancedTimer !== undefined ? { unbalancedTimer } : {}),
  };
}

function rule(c: Checker, v: unknown, path: string, vrfTable: number | undefined): DesiredRule | undefined {
  if (!isObj(v)) return c.fail(path, 'not a mapping (priority:, from:, to:, …)');
  c.keys(v, path, ['priority', 'from', 'to', 'iif', 'oif', 'fwmark', 'family', ...(vrfTable === undefined ? ['table'] : [])]);
  let family = familyKey(c, v, path);
  const priority = v.priority === undefined ? c.fail(`${path}.priority`, 'missing (rules need a priority, 1 to 4294967295)') : c.uint(v.priority, `${path}.priority`, 1, 0xffffffff);
  const prefixOf = (key: 'from' | 'to'): string | undefined => {
    if (v[key] === undefined) return undefined;
    const p = c.prefix(v[key], `${path}.${key}`);
    if (!p) return undefined;
    if (family !== undefined && p.family !== family) return c.fail(`${path}.${key}`, `not an IPv${family} prefix`);
    family = p.family;
    return p.text;
  };
  const src = prefixOf('from');
  const dst = prefixOf('to');
  const iif = v.iif !== undefined ? c.ifname(v.iif, `${path}.iif`) : undefined;
  const oif = v.oif !== undefined ? c.ifname(v.oif, `${path}.oif`) : undefined;
  const fwmark = v.fwmark !== undefined ? c.uint(v.fwmark, `${path}.fwmark`, 1, 0xffffffff) : undefined;
  const table = vrfTable ?? (v.table !== undefined ? c.table(v.table, `${path}.table`) : RT_TABLE_MAIN);
  if (priority === undefined || table === undefined) return undefined;
  return {
    path, family: family ?? 4, priority, table,
    ...(src ? { src } : {}), ...(dst ? { dst } : {}), ...(iif ? { iif } : {}), ...(oif ? { oif } : {}), ...(fwmark ? { fwmark } : {}),
  };
}

function vrf(c: Checker, name: string, v: unknown, path: string, out: Desired): void {
  try {
    validateInterfaceName(name, 'VRF name');
    // "default" means "no VRF" to ip vrf exec: refused here, not at the kernel halfway through apply.
    validateNewVrfName(name);
  } catch (err) {
    c.fail(path, (err as Error).message);
    return;
  }
  if (!isObj(v)) {
    c.fail(path, 'not a mapping (table:, ports:, …)');
    return;
  }
  c.keys(v, path, ['table', 'ports', 'loopback', 'routes', 'rules']);
  let table: number | undefined;
  if (v.table === undefined) c.fail(`${path}.table`, 'missing (the VRF\'s routing table id)');
  else {
    try {
      table = validateVrfTable(v.table as number | string);
      if (typeof v.table !== 'number') c.fail(`${path}.table`, 'not a table number');
    } catch (err) {
      c.fail(`${path}.table`, err instanceof ArgumentError ? err.message : String(err));
    }
  }
  const ports = c.list(v.ports, `${path}.ports`).map((p, i) => c.ifname(p, `${path}.ports[${i}]`)).filter((p): p is string => p !== undefined);
  const loopback = v.loopback !== undefined ? (c.bool(v.loopback, `${path}.loopback`) ?? false) : false;
  const vrfTable = table ?? 0;
  c.list(v.routes, `${path}.routes`).forEach((r, i) => {
    const d = route(c, r, `${path}.routes[${i}]`, vrfTable);
    if (d) out.routes.push(d);
  });
  c.list(v.rules, `${path}.rules`).forEach((r, i) => {
    const d = rule(c, r, `${path}.rules[${i}]`, vrfTable);
    if (d) out.rules.push(d);
  });
  if (table !== undefined) out.vrfs.push({ path, name, table, ports, loopback });
}

export function routeIdentity(r: { family: Family; table: number; dst: string; metric: number }): string {
  return `${r.family} ${r.table} ${r.dst} ${r.metric}`;
}

export function ruleIdentity(r: Omit<DesiredRule, 'path'>): string {
  return [r.family, r.priority, r.src ?? '', r.dst ?? '', r.iif ?? '', r.oif ?? '', r.fwmark ?? 0, r.table].join(' ');
}

function crossChecks(c: Checker, d: Desired): void {
  const tables = new Map<number, string>();
  const ports = new Map<string, string>();
  for (const v of d.vrfs) {
    const other = tables.get(v.table);
    if (other) c.fail(`${v.path}.table`, `table ${v.table} is already the table of ${other}`);
    tables.set(v.table, v.path);
    v.ports.forEach((p, i) => {
      const owner = ports.get(p);
      if (owner) c.fail(`${v.path}.ports[${i}]`, `${p} is already a port of ${owner}`);
      ports.set(p, v.path);
    });
  }
  const nexthops = new Map<number, DesiredNexthop>();
  for (const n of d.nexthops) {
    const other = nexthops.get(n.id);
    if (other) c.fail(`${n.path}.id`, `id ${n.id} is already ${other.path}`);
    nexthops.set(n.id, n);
  }
  for (const n of d.nexthops) {
    (n.group ?? []).forEach((m, i) => {
      const member = nexthops.get(m.id);
      if (m.id === n.id) c.fail(`${n.path}.group[${i}]`, 'a group cannot contain itself');
      else if (member?.group) c.fail(`${n.path}.group[${i}]`, `${m.id} is a group (${member.path}): groups do not nest`);
    });
  }
  const routes = new Map<string, string>();
  for (const r of d.routes) {
    const id = routeIdentity(r);
    const other = routes.get(id);
    if (other) c.fail(r.path, `the same route (destination, table, metric) as ${other}`);
    routes.set(id, r.path);
  }
  const rules = new Map<string, string>();
  for (const r of d.rules) {
    const id = ruleIdentity(r);
    const other = rules.get(id);
    if (other) c.fail(r.path, `the same rule as ${other}`);
    rules.set(id, r.path);
  }
}

/** Limits on an apply file: far above any real one, far below what would exhaust memory or the stack. */
export const YAML_LIMITS = { bytes: 1 << 20, lineLength: 4096, depth: 32, aliases: 100 } as const;

/** Refuses a file past the limits before the YAML parser sees it (a deep or huge file would exhaust it). */
function checkBounds(text: string, fileName: string): void {
  if (Buffer.byteLength(text) > YAML_LIMITS.bytes) throw new SchemaError([`${fileName}: larger than ${YAML_LIMITS.bytes} bytes`]);
  let line = 1;
  let start = 0;
  let depth = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text.charCodeAt(i);
    if (i === text.length || ch === 10) {
      if (i - start > YAML_LIMITS.lineLength) throw new SchemaError([`${fileName}:${line}: line longer than ${YAML_LIMITS.lineLength} characters`]);
      // Block nesting: indentation (two spaces a level in any sane file; counted generously).
      let indent = 0;
      while (text.charCodeAt(start + indent) === 32 || text.charCodeAt(start + indent) === 45) indent++;
      if (indent > YAML_LIMITS.depth * 4) throw new SchemaError([`${fileName}:${line}: nested deeper than ${YAML_LIMITS.depth} levels`]);
      line++;
      start = i + 1;
    } else if (ch === 91 || ch === 123) {
      // Flow nesting ([ and {, quoted ones counted too: an overestimate is harmless at this limit).
      if (++depth > YAML_LIMITS.depth) throw new SchemaError([`${fileName}:${line}: nested deeper than ${YAML_LIMITS.depth} levels`]);
    } else if ((ch === 93 || ch === 125) && depth > 0) depth--;
  }
}

/** The YAML text as plain data; a syntax error is a SchemaError naming line and column. */
export function parseYaml(text: string, fileName = 'file'): unknown {
  checkBounds(text, fileName);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new SchemaError(doc.errors.slice(0, 10).map((e) => {
      const at = e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : '';
      return `${fileName}${at}: ${printable(e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 120)}`;
    }));
  }
  try {
    return doc.toJS({ maxAliasCount: YAML_LIMITS.aliases }) ?? {};
  } catch (err) {
    // An alias bomb (maxAliasCount) or a structure the converter cannot take: bad input, said briefly.
    throw new SchemaError([`${fileName}: ${printable((err as Error).message.split('\n')[0], 120)}`]);
  }
}

/** Parses and checks a whole file in our own format; SchemaError lists every problem. */
export function parseDesired(text: string, fileName = 'file'): Desired {
  return checkDesired(parseYaml(text, fileName));
}

/** Checks a document already read as plain data (ours, or one translated from netplan/networkd). */
export function checkDesired(root: unknown): Desired {
  const c = new Checker();
  const out: Desired = { vrfs: [], nexthops: [], routes: [], rules: [], sysctls: [] };
  if (!isObj(root)) throw new SchemaError(['(top): not a mapping (vrfs:, nexthops:, routes:, rules:, sysctls:)']);
  c.keys(root, '(top)', ['vrfs', 'nexthops', 'routes', 'rules', 'sysctls']);
  c.list(root.nexthops, 'nexthops').forEach((n, i) => {
    const d = nexthop(c, n, `nexthops[${i}]`);
    if (d) out.nexthops.push(d);
  });
  if (root.vrfs !== undefined && root.vrfs !== null) {
    if (!isObj(root.vrfs)) c.fail('vrfs', 'not a mapping of VRF names');
    else for (const [name, v] of Object.entries(root.vrfs)) vrf(c, name, v, `vrfs.${printable(name, 20)}`, out);
  }
  c.list(root.routes, 'routes').forEach((r, i) => {
    const d = route(c, r, `routes[${i}]`, undefined);
    if (d) out.routes.push(d);
  });
  c.list(root.rules, 'rules').forEach((r, i) => {
    const d = rule(c, r, `rules[${i}]`, undefined);
    if (d) out.rules.push(d);
  });
  if (root.sysctls !== undefined && root.sysctls !== null) {
    if (!isObj(root.sysctls)) c.fail('sysctls', 'not a mapping of KEY: VALUE');
    else {
      for (const [key, value] of Object.entries(root.sysctls)) {
        try {
          const a = parseSysctlAssignment(`${key}=${typeof value === 'boolean' ? Number(value) : String(value)}`);
          out.sysctls.push({ path: `sysctls.${key}`, key: a.key, value: a.value });
        } catch (err) {
          c.fail(`sysctls.${printable(key, 40)}`, printable((err as Error).message, 120));
        }
      }
    }
  }
  crossChecks(c, out);
  if (c.problems.length > 0) throw new SchemaError(c.problems);
  return out;
}
