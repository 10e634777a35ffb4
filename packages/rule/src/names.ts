// The name databases `ip rule` reads besides rt_tables and rt_protos (which @vrfctl/route has):
// rt_dsfield for tos, group for suppress_ifgroup, rt_realms for realms, /etc/protocols for ipproto.
import { readFileSync } from 'node:fs';
import { ArgumentError } from '@vrfctl/link';
import { NameDatabase } from '@vrfctl/route';

export const dsfieldNames = new NameDatabase('rt_dsfield', [[0, 'default']]);
export const groupNames = new NameDatabase('group', [[0, 'default']]);
export const realmNames = new NameDatabase('rt_realms', [[0, 'cosmos']]);

/** True when the database has a name for the id (NameDatabase.name falls back to the digits). */
function named(db: NameDatabase, id: number): boolean {
  return db.name(id) !== String(id);
}

/** A tos/dsfield value: a name from rt_dsfield, else hex with or without 0x (as iproute2 reads it). */
export function parseDsfield(text: string): number {
  if (dsfieldNames.has(text)) return dsfieldNames.id(text, 'tos');
  if (!/^(0x)?[0-9a-fA-F]{1,8}$/i.test(text)) throw new ArgumentError(`invalid tos "${text}": not a hex number and not in rt_dsfield`);
  const n = Number.parseInt(text.replace(/^0x/i, ''), 16);
  if (n > 255) throw new ArgumentError(`invalid tos "${text}": out of range 0…0xff`);
  return n;
}

/** As iproute2 prints a tos: its rt_dsfield name, else 0x%02x. */
export function formatDsfield(tos: number): string {
  return named(dsfieldNames, tos) ? dsfieldNames.name(tos) : `0x${tos.toString(16).padStart(2, '0')}`;
}

/** A device group: a name from /etc/iproute2/group, or a number. */
export function parseGroup(text: string): number {
  return groupNames.id(text, 'suppress_ifgroup', 0x7fffffff);
}

export function formatGroup(group: number): string {
  return groupNames.name(group);
}

/** realms [FROM/]TO: each a name from rt_realms or a number below 2^16; FRA_FLOW is from<<16 | to. */
export function parseRealms(text: string): number {
  const parts = text.split('/');
  if (parts.length > 2) throw new ArgumentError(`invalid realms "${text}"`);
  const ids = parts.map((p) => realmNames.id(p, 'realm', 0xffff));
  return ids.length === 2 ? ((ids[0] << 16) | ids[1]) >>> 0 : ids[0];
}

export function formatRealm(realm: number): string {
  return realmNames.name(realm);
}

// IP protocol numbers. iproute2 names tcp, udp, sctp, dccp and ipv6-icmp itself and asks
// /etc/protocols (getprotobynumber) for the rest.
const FIXED_PROTOCOLS: ReadonlyArray<readonly [number, string]> = [
  [6, 'tcp'], [17, 'udp'], [132, 'sctp'], [33, 'dccp'], [58, 'ipv6-icmp'],
];
let protocolTable: { byNumber: Map<number, string>; byName: Map<string, number> } | undefined;

function protocols(): { byNumber: Map<number, string>; byName: Map<string, number> } {
  if (protocolTable) return protocolTable;
  const byNumber = new Map<number, string>();
  const byName = new Map<string, number>();
  for (const [n, name] of FIXED_PROTOCOLS) {
    byNumber.set(n, name);
    byName.set(name, n);
  }
  let text = '';
  try {
    text = readFileSync(process.env.VRFCTL_PROTOCOLS_FILE ?? '/etc/protocols', 'utf8');
  } catch {
    // no /etc/protocols: numbers and the fixed names only
  }
  for (const line of text.split('\n')) {
    const m = /^\s*([^\s#]+)\s+(\d+)(?:\s+([^#]*))?/.exec(line);
    if (!m) continue;
    const n = Number(m[2]);
    if (n > 255) continue;
    if (!byNumber.has(n)) byNumber.set(n, m[1]);
    for (const alias of [m[1], ...(m[3] ?? '').trim().split(/\s+/).filter(Boolean)]) if (!byName.has(alias)) byName.set(alias, n);
  }
  protocolTable = { byNumber, byName };
  return protocolTable;
}

/** ipproto: a protocol name (tcp, udp, ipv6-icmp, anything in /etc/protocols) or a number 0…255. */
export function parseIpProto(text: string): number {
  const n = protocols().byName.get(text);
  if (n !== undefined) return n;
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) {
    const v = Number(text);
    if (v <= 255) return v;
  }
  throw new ArgumentError(`invalid ipproto "${text}": not a protocol name or a number 0…255`);
}

/** As iproute2 prints ipproto: the protocol's name, else "ipproto-N". */
export function formatIpProto(n: number): string {
  return protocols().byNumber.get(n) ?? `ipproto-${n}`;
}
