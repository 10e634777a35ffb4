// IP protocol names for `ip route get … ipproto NAME`, read from /etc/protocols as
// getprotobyname(3) does, with the common ones built in for systems without the file.
import { readFileSync } from 'node:fs';
import { ArgumentError, parseUnsigned } from '@vrfctl/link';

const BUILTIN: ReadonlyArray<readonly [string, number]> = [
  ['icmp', 1], ['igmp', 2], ['tcp', 6], ['udp', 17], ['gre', 47], ['esp', 50], ['ah', 51],
  ['ipv6-icmp', 58], ['icmpv6', 58], ['sctp', 132], ['dccp', 33], ['udplite', 136],
];

let table: Map<string, number> | undefined;

function protocols(): Map<string, number> {
  if (table) return table;
  const t = new Map<string, number>(BUILTIN);
  try {
    for (const line of readFileSync('/etc/protocols', 'utf8').split('\n')) {
      const words = line.replace(/#.*/, '').trim().split(/\s+/);
      if (words.length < 2 || !/^\d+$/.test(words[1])) continue;
      const n = Number(words[1]);
      t.set(words[0], n);
      for (const alias of words.slice(2)) t.set(alias, n);
    }
  } catch {
    // No /etc/protocols: the built-in names only.
  }
  table = t;
  return t;
}

export function ipProtocolNumber(v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new ArgumentError(`invalid ipproto "${v}"`);
    return v;
  }
  const n = protocols().get(v);
  if (n !== undefined) return n;
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return parseUnsigned(v, 'ipproto', 255);
  throw new ArgumentError(`invalid ipproto "${v}": not a number and not in /etc/protocols`);
}
