// node-netlink (the `netlink` npm package) as a differential oracle: every captured kernel reply
// (links, addresses, routes, neighbours, rules) is decoded by both parsers, and the fields both
// model must agree. node-netlink is a devDependency of tools/bench, loaded from there.
import test from 'ava';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatHexColon, formatIP, type Message } from '@vrfctl/netlink';
import {
  RTM, decodeAddress, decodeLink, decodeNeighbour, decodeRoute, decodeRule, familyNames, scopeNames,
  splitMessages,
} from '@vrfctl/rtnetlink';

interface Parsed { data: Record<string, unknown>; attrs: Record<string, unknown> }
type Oracle = { parseMessage(type: number, payload: Buffer): Parsed };

const ROOT = fileURLToPath(new URL('../../../test/golden/fixtures/', import.meta.url));
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? files(p) : f.endsWith('.json') ? [p] : [];
});

function loadOracle(): Oracle | undefined {
  try {
    return createRequire(new URL('../../../tools/bench/package.json', import.meta.url))('netlink/dist/rt/structs') as Oracle;
  } catch {
    return undefined;
  }
}

const ip = (v: unknown): string | undefined => (Buffer.isBuffer(v) ? formatIP(v) : undefined);
const mac = (v: unknown): string | undefined => (Buffer.isBuffer(v) && v.length > 0 ? formatHexColon(v, 0, v.length) : undefined);
/** node-netlink leaves some u32 attributes (RTA_MARK) as bytes. */
const u32 = (v: unknown): unknown => (Buffer.isBuffer(v) && v.length === 4 ? v.readUInt32LE(0) : v);
const withLen = (v: unknown, len: unknown): string | undefined => (Buffer.isBuffer(v) ? `${formatIP(v)}/${String(len)}` : undefined);

/** For each kind: our decoder, and [field, ours, theirs] pairs of what both parsers model. */
const kinds: Record<number, [string, (m: Message) => object, (o: any, p: Parsed) => Array<[string, unknown, unknown]>]> = {
  [RTM.NEWROUTE]: ['route', decodeRoute, (o, { data: d, attrs: a }) => [
    ['family', familyNames.value(o.family), d.family], ['tos', o.tos, d.tos], ['table', o.table, a.table ?? d.table],
    ['dst', o.dst, withLen(a.dst, d.dstLen)],
    ['src', o.src, withLen(a.src, d.srcLen)], ['gateway', o.gateway, ip(a.gateway)], ['prefsrc', o.prefsrc, ip(a.prefsrc)],
    ['oif', o.oif, a.oif], ['iif', o.iif, a.iif], ['priority', o.priority, a.priority], ['mark', o.mark, u32(a.mark)],
  ]],
  [RTM.NEWLINK]: ['link', decodeLink, (o, { data: d, attrs: a }) => [
    ['index', o.index, d.index], ['ifname', o.ifname, a.ifname], ['mtu', o.mtu, a.mtu], ['txqlen', o.txqlen, a.txqlen],
    ['master', o.master, a.master], ['group', o.group, a.group], ['promiscuity', o.promiscuity, a.promiscuity],
    ['carrier', o.carrier, a.carrier], ['minMtu', o.minMtu, a.minMtu], ['maxMtu', o.maxMtu, a.maxMtu],
    ['address', o.address, mac(a.address)], ['broadcast', o.broadcast, mac(a.broadcast)], ['ifalias', o.ifalias, a.ifalias],
    ['linkNetnsid', o.linkNetnsid, a.linkNetnsid], ['rxBytes', o.stats64?.rxBytes, (a.stats64 as { rxBytes?: bigint } | undefined)?.rxBytes],
  ]],
  [RTM.NEWADDR]: ['address', decodeAddress, (o, { data: d, attrs: a }) => [
    ['family', familyNames.value(o.family), d.family], ['prefixlen', o.prefixlen, d.prefixlen], ['index', o.index, d.index],
    ['scope', scopeNames.value(o.scope), d.scope], ['address', o.address, ip(a.address)], ['local', o.local, ip(a.local)],
    ['broadcast', o.broadcast, ip(a.broadcast)], ['label', o.label, a.label],
  ]],
  [RTM.NEWNEIGH]: ['neighbour', decodeNeighbour, (o, { data: d, attrs: a }) => [
    ['family', familyNames.value(o.family), d.family], ['index', o.index, d.ifindex], ['dst', o.dst, ip(a.dst)],
    ['lladdr', o.lladdr, mac(a.lladdr)], ['probes', o.probes, a.probes], ['vlan', o.vlan, a.vlan], ['master', o.master, a.master],
  ]],
  [RTM.NEWRULE]: ['rule', decodeRule, (o, { data: d, attrs: a }) => [
    ['family', familyNames.value(o.family), d.family], ['tos', o.tos, d.tos], ['table', o.table, a.table ?? d.table],
    ['priority', o.priority, a.priority], ['iif', o.iif, a.iifname], ['oif', o.oif, a.oifname], ['fwmark', o.fwmark, a.fwmark],
    ['fwmask', o.fwmask, a.fwmask], ['goto', o.goto, a.goto], ['src', o.src, withLen(a.src, d.srcLen)], ['dst', o.dst, withLen(a.dst, d.dstLen)],
  ]],
};

test('every captured kernel reply: node-netlink and our decoders agree on the fields both model', (t) => {
  const oracle = loadOracle();
  if (!oracle) {
    t.log('SKIPPED LOUDLY: node-netlink (tools/bench devDependency `netlink`) is not installed; run pnpm install');
    t.fail('node-netlink missing: the differential oracle did not run');
    return;
  }
  const compared: Record<string, number> = {};
  let fields = 0;
  let theirFailures = 0;
  for (const f of files(ROOT)) {
    const fx = JSON.parse(readFileSync(f, 'utf8')) as { name: string; replies: string[] };
    for (const hex of fx.replies) {
      for (const m of splitMessages(Buffer.from(hex, 'hex')).messages) {
        const kind = kinds[m.header.type];
        if (!kind) continue;
        const [name, decode, pairs] = kind;
        let theirs: Parsed;
        try {
          theirs = oracle.parseMessage(m.header.type, m.payload);
        } catch {
          theirFailures++;
          continue;
        }
        const ours = decode(m);
        for (const [field, a, b] of pairs(ours, theirs)) {
          // Where node-netlink has nothing (an attribute it does not parse), there is nothing to compare.
          if (b === undefined) continue;
          t.deepEqual(a, b, `${fx.name} ${name} at ${m.offset}: ${field}`);
          fields++;
        }
        compared[name] = (compared[name] ?? 0) + 1;
      }
    }
  }
  t.log(`compared ${fields} fields in`, compared, `; node-netlink refused ${theirFailures} messages`);
  for (const k of ['route', 'link', 'address', 'neighbour', 'rule']) t.true((compared[k] ?? 0) > 0, `no ${k} replies compared`);
});
