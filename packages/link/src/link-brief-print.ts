// `ip -br link` and `ip -br addr`: one line per link, the name (with @lower) in 16 columns, the
// operational state in 14, then the link-layer address and flags, or the addresses.
import type { Address, Link } from '@vrfctl/rtnetlink';
import { linkFlagNames, type LinkLookup } from './link-print.js';

/** The name as ip's brief and normal lines show it: NAME@LOWER, NAME@ifN, NAME@NONE. */
function nameAndLower(link: Link, lookup: LinkLookup): { text: string; json: Record<string, unknown> } {
  const name = link.ifname ?? `if${link.index}`;
  if (link.link === undefined) return { text: name, json: { ifname: name } };
  if (link.link === 0) return { text: `${name}@NONE`, json: { link: null, ifname: name } };
  if (link.linkNetnsid !== undefined) return { text: `${name}@if${link.link}`, json: { link_index: link.link, ifname: name } };
  const lower = lookup(link.link)?.ifname ?? `if${link.link}`;
  return { text: `${name}@${lower}`, json: { link: lower, ifname: name } };
}

function briefHead(link: Link, lookup: LinkLookup): string {
  let line = `${nameAndLower(link, lookup).text.padEnd(16)} `;
  if (link.operstate !== undefined) line += `${String(link.operstate).padEnd(14)} `;
  return line;
}

/** `ip -br link`'s line for one link. */
export function formatLinkBrief(link: Link, lookup: LinkLookup): string {
  let line = briefHead(link, lookup);
  if (link.address !== undefined) line += `${link.address} `;
  return `${line}<${linkFlagNames(link, lookup).join(',')}> `;
}

export function linkBriefToJson(link: Link, lookup: LinkLookup): Record<string, unknown> {
  const j = nameAndLower(link, lookup).json;
  if (link.operstate !== undefined) j.operstate = String(link.operstate);
  if (link.address !== undefined) j.address = link.address;
  j.flags = linkFlagNames(link, lookup);
  return j;
}

/** The peer of a point-to-point address, shown as `LOCAL peer PEER/LEN`. */
function peerOf(a: Address): string | undefined {
  return a.local !== undefined && a.address !== undefined && a.address !== a.local ? a.address : undefined;
}

function briefAddress(a: Address): string {
  const peer = peerOf(a);
  return `${a.local ?? a.address}${peer === undefined ? '' : ` peer ${peer}`}/${a.prefixlen} `;
}

/** `ip -br addr`'s line for one link and its addresses. */
export function formatAddressBrief(link: Link, lookup: LinkLookup, addrs: readonly Address[]): string {
  return briefHead(link, lookup) + addrs.map(briefAddress).join('');
}

export function addressBriefToJson(link: Link, lookup: LinkLookup, addrs: readonly Address[]): Record<string, unknown> {
  const j = nameAndLower(link, lookup).json;
  if (link.operstate !== undefined) j.operstate = String(link.operstate);
  j.addr_info = addrs.map((a) => {
    const peer = peerOf(a);
    return { local: a.local ?? a.address, ...(peer === undefined ? {} : { address: peer }), prefixlen: a.prefixlen };
  });
  return j;
}
