// IP protocol numbers by name (`ip route get … ipproto`, `ip rule … ipproto`), read from
// /etc/protocols as getprotobyname(3) does, with the common ones built in for systems without
// the file. iproute2 prints tcp, udp, sctp, dccp and ipv6-icmp itself and asks
// getprotobynumber(3) for the rest.
import { readFileSync } from 'node:fs';
import { ArgumentError } from './args.js';

/** The names iproute2 prints itself, first in preference. */
const PRINTED: ReadonlyArray<readonly [string, number]> = [
  ['tcp', 6], ['udp', 17], ['sctp', 132], ['dccp', 33], ['ipv6-icmp', 58],
];
/** Names taken without /etc/protocols. */
const BUILTIN: ReadonlyArray<readonly [string, number]> = [
  ...PRINTED, ['icmp', 1], ['igmp', 2], ['gre', 47], ['esp', 50], ['ah', 51], ['icmpv6', 58], ['udplite', 136],
];

interface ProtocolTable {
  byNumber: Map<number, string>;
  byName: Map<string, number>;
}
let table: ProtocolTable | undefined;

function protocols(): ProtocolTable {
  if (table) return table;
  const byNumber = new Map<number, string>(PRINTED.map(([name, n]) => [n, name]));
  const byName = new Map<string, number>(BUILTIN);
  let text = '';
  try {
    text = readFileSync(process.env.VRFCTL_PROTOCOLS_FILE ?? '/etc/protocols', 'utf8');
  } catch {
    // No /etc/protocols: numbers and the built-in names only.
  }
  for (const line of text.split('\n')) {
    const m = /^\s*([^\s#]+)\s+(\d+)(?:\s+([^#]*))?/.exec(line);
    if (!m) continue;
    const n = Number(m[2]);
    if (n > 255) continue;
    if (!byNumber.has(n)) byNumber.set(n, m[1]);
    for (const alias of [m[1], ...(m[3] ?? '').trim().split(/\s+/).filter(Boolean)]) if (!byName.has(alias)) byName.set(alias, n);
  }
  table = { byNumber, byName };
  return table;
}

/** ipproto: a protocol name (tcp, udp, ipv6-icmp, anything in /etc/protocols) or a number 0…255. */
export function parseIpProto(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isInteger(text) || text < 0 || text > 255) throw new ArgumentError(`invalid ipproto "${text}": not a number 0…255`);
    return text;
  }
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
