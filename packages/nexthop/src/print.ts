// Nexthops and buckets as `ip nexthop show` / `ip nexthop bucket show` print them (iproute2 6.1
// __print_nexthop_entry, print_nexthop_bucket): the text line and the `-j` object come from one
// walk over the fields. The -j form is a list of key/value pairs, because ip prints an encap's
// tunnel "id" after the nexthop's own "id" in one object, and we print what ip prints.
import { RTNH_F, scopeNames as rtScopeNames, routeProtocolNames, nexthopEncap, type Nexthop, type NexthopBucket } from '@vrfctl/rtnetlink';
import { protocolNames, scopeNames } from '@vrfctl/iproute2';
import { encapFields } from './encap.js';

/** A JSON object as ordered pairs (keys may repeat, as in ip's output). */
export class JsonPairs {
  readonly entries: Array<[string, JsonPiece]> = [];
  set(key: string, value: JsonPiece): this {
    this.entries.push([key, value]);
    return this;
  }
  /** As a plain object (a repeated key keeps its first value). */
  toObject(): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (const [k, v] of this.entries) if (!(k in o)) o[k] = v instanceof JsonPairs ? v.toObject() : Array.isArray(v) ? v.map((x) => (x instanceof JsonPairs ? x.toObject() : x)) : v;
    return o;
  }
}
export type JsonPiece = string | number | null | boolean | JsonPairs | JsonPiece[];

/** JSON text of pairs, compact or indented like JSON.stringify(…, null, 4). */
export function jsonText(v: JsonPiece, indent = 0, depth = 0): string {
  const pad = indent ? '\n' + ' '.repeat(indent * (depth + 1)) : '';
  const end = indent ? '\n' + ' '.repeat(indent * depth) : '';
  const sep = indent ? ': ' : ':';
  if (v instanceof JsonPairs) {
    if (v.entries.length === 0) return '{}';
    return `{${v.entries.map(([k, x]) => `${pad}${JSON.stringify(k)}${sep}${jsonText(x, indent, depth + 1)}`).join(',')}${end}}`;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => `${pad}${jsonText(x, indent, depth + 1)}`).join(',')}${end}]`;
  }
  return JSON.stringify(v);
}

/** printf's %g: 6 significant digits, exponent form outside 1e-4 … 1e6. */
export function formatG(x: number): string {
  if (x === 0) return '0';
  const e = Math.floor(Math.log10(Math.abs(x)));
  if (e < -4 || e >= 6) {
    const [m, exp] = x.toExponential(5).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(exp);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(Number(x.toPrecision(6)));
}

/** clock_t (USER_HZ 100) as seconds, as ip's __jiffies_to_tv + print_tv do. */
function seconds(ticks: number | bigint): number {
  const t = BigInt(ticks);
  return Number(t / 100n) + Number((t % 100n) * 1_000_000n / 100n) / 1e6;
}

/** print_rt_flags for the RTNH_F_* bits a nexthop carries, in ip's order. */
const NH_FLAGS: ReadonlyArray<readonly [string, number]> = [
  ['dead', RTNH_F.dead], ['onlink', RTNH_F.onlink], ['pervasive', RTNH_F.pervasive], ['offload', RTNH_F.offload],
  ['trap', RTNH_F.trap], ['linkdown', RTNH_F.linkdown], ['unresolved', RTNH_F.unresolved],
];

function flagWords(flags: readonly string[]): string[] {
  return NH_FLAGS.filter(([name]) => flags.includes(name)).map(([name]) => name);
}

export interface NexthopPrintOptions {
  /** ifindex -> device name; unknown indexes print as ifN. */
  names: ReadonlyMap<number, string>;
  /** `ip -d`: scope and protocol even when global/unspec. */
  details?: boolean;
}

function number(v: unknown, names: { value(x: string | number): number }): number {
  return typeof v === 'number' ? v : names.value(v as string);
}

/** One walk over a nexthop: text words and JSON pairs in step. */
function walk(n: Nexthop, o: NexthopPrintOptions): { text: string; json: JsonPairs } {
  let text = '';
  const json = new JsonPairs();
  text += `id ${n.id ?? 0} `;
  json.set('id', n.id ?? 0);
  if (n.group) {
    text += `group ${n.group.map((m) => (m.weight > 1 ? `${m.id},${m.weight}` : `${m.id}`)).join('/')} `;
    json.set('group', n.group.map((m) => {
      const p = new JsonPairs().set('id', m.id);
      if (m.weight > 1) p.set('weight', m.weight);
      return p;
    }));
  }
  if (n.groupType !== undefined && n.groupType !== 'mpath' && n.groupType !== 0) {
    const t = n.groupType === 'resilient' ? 'resilient' : '<unknown type>';
    text += `type ${t} `;
    json.set('type', t);
  }
  if (n.resilient) {
    const r = n.resilient;
    const args = new JsonPairs();
    const b = r.buckets ?? 0;
    const idle = seconds(r.idleTimer ?? 0);
    const unb = seconds(r.unbalancedTimer ?? 0);
    const since = seconds(r.unbalancedTime ?? 0n);
    text += `buckets ${b} idle_timer ${formatG(idle)} unbalanced_timer ${formatG(unb)} unbalanced_time ${formatG(since)} `;
    args.set('buckets', b).set('idle_timer', idle).set('unbalanced_timer', unb).set('unbalanced_time', since);
    json.set('resilient_args', args);
  }
  const encap = nexthopEncap(n);
  if (encap && n.encapType !== undefined) {
    text += ` encap ${n.encapType} `;
    json.set('encap', String(n.encapType));
    for (const f of encapFields(n.encapType, encap.value)) {
      text += `${f.text} `;
      json.set(f.key, f.value);
    }
  }
  if (n.gateway !== undefined) {
    text += `via ${n.gateway} `;
    json.set('gateway', n.gateway);
  }
  if (n.oif) {
    const dev = o.names.get(n.oif) ?? `if${n.oif}`;
    text += `dev ${dev} `;
    json.set('dev', dev);
  }
  const scope = number(n.scope, rtScopeNames);
  if (scope !== 0 || o.details) {
    text += `scope ${scopeNames.name(scope)} `;
    json.set('scope', scopeNames.name(scope));
  }
  if (n.blackhole) {
    text += 'blackhole ';
    json.set('blackhole', null);
  }
  const protocol = number(n.protocol, routeProtocolNames);
  if (protocol !== 0 || o.details) {
    text += `proto ${protocolNames.name(protocol)} `;
    json.set('protocol', protocolNames.name(protocol));
  }
  const flags = flagWords(n.flags);
  for (const f of flags) text += `${f} `;
  json.set('flags', flags);
  if (n.fdb) {
    text += 'fdb';
    json.set('fdb', null);
  }
  return { text, json };
}

/** The `ip nexthop show` line (with ip's trailing space). */
export function formatNexthop(n: Nexthop, o: NexthopPrintOptions): string {
  return walk(n, o).text;
}

/** The `ip -j nexthop show` object, as ordered pairs (jsonText gives ip's text). */
export function nexthopJson(n: Nexthop, o: NexthopPrintOptions): JsonPairs {
  return walk(n, o).json;
}

/** The `ip -j nexthop show` object as a plain object. */
export function nexthopToJson(n: Nexthop, o: NexthopPrintOptions): Record<string, unknown> {
  return nexthopJson(n, o).toObject();
}

function walkBucket(b: NexthopBucket): { text: string; json: JsonPairs } {
  let text = '';
  const json = new JsonPairs();
  if (b.id !== undefined) {
    text += `id ${b.id} `;
    json.set('id', b.id);
  }
  if (b.bucket) {
    const inner = new JsonPairs();
    if (b.bucket.index !== undefined) {
      text += `index ${b.bucket.index} `;
      inner.set('index', b.bucket.index);
    }
    if (b.bucket.idleTime !== undefined) {
      const s = seconds(b.bucket.idleTime);
      text += `idle_time ${formatG(s)} `;
      inner.set('idle_time', s);
    }
    if (b.bucket.nhId !== undefined) {
      text += `nhid ${b.bucket.nhId} `;
      inner.set('nhid', b.bucket.nhId);
    }
    json.set('bucket', inner);
  }
  const flags = flagWords(b.flags);
  for (const f of flags) text += `${f} `;
  json.set('flags', flags);
  return { text, json };
}

/** The `ip nexthop bucket show` line. */
export function formatBucket(b: NexthopBucket): string {
  return walkBucket(b).text;
}

/** The `ip -j nexthop bucket show` object. */
export function bucketJson(b: NexthopBucket): JsonPairs {
  return walkBucket(b).json;
}
