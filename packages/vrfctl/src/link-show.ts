// Gathering what `link show` and `addr show` print: the selected links and every link they
// refer to (lower device, master), fetched once each.
import { DeviceNotFoundError } from '@vrfctl/iproute2';
import { LinkNames, findLink, getLink, linksNamedByDetails, listLinks } from '@vrfctl/link';
import { ArgumentError } from '@vrfctl/iproute2';
import type { Plan } from '@vrfctl/socket';
import { IFF, type Link } from '@vrfctl/rtnetlink';
import { UsageError } from './errors.js';
import type { LinkLookup } from '@vrfctl/link';

export interface LinkSelection {
  dev?: string;
  kind?: string;
  master?: string;
  vrf?: string;
  up?: boolean;
  /** Dump family (see LinkFilter.family). */
  family?: number;
}

export interface SelectedLinks {
  links: Link[];
  lookup: LinkLookup;
  names: LinkNames;
}

/** `vrf NAME` must name a VRF device, as `ip link show vrf NAME` checks. */
export function* vrfMaster(vrf: string, names: LinkNames): Plan<string> {
  let link: Link;
  try {
    link = yield* getLink(vrf, names);
  } catch (err) {
    if (err instanceof DeviceNotFoundError) throw new ArgumentError(`Not a valid VRF name: "${vrf}": no such device`);
    throw err;
  }
  const kind = link.linkinfo?.kind;
  if (kind !== 'vrf') throw new ArgumentError(`Not a valid VRF name: "${vrf}" is a ${kind ?? 'device'}, not a VRF`);
  return vrf;
}

export function* selectLinks(sel: LinkSelection): Plan<SelectedLinks> {
  const names = new LinkNames();
  const master = sel.vrf !== undefined ? yield* vrfMaster(sel.vrf, names) : sel.master;
  let links: Link[];
  if (sel.dev !== undefined) {
    const link = yield* findLink(sel.dev, names);
    if (!link) throw new UsageError(`Device "${sel.dev}" does not exist.`);
    links = [link];
    if (sel.kind !== undefined) links = links.filter((l) => l.linkinfo?.kind === sel.kind);
    if (master !== undefined) {
      const m = yield* names.index(master);
      links = links.filter((l) => l.master === m);
    }
  } else {
    links = yield* listLinks({ kind: sel.kind, master, family: sel.family }, names);
  }
  if (sel.up) links = links.filter((l) => l.flags.includes('UP'));
  const byIndex = new Map<number, Link>(links.map((l) => [l.index, l]));
  for (const l of links) {
    for (const ref of [l.linkNetnsid === undefined ? l.link : undefined, l.master, ...linksNamedByDetails(l)]) {
      if (!ref || byIndex.has(ref)) continue;
      const other = yield* findLink(ref, names);
      if (other) byIndex.set(ref, other);
    }
  }
  return { links, lookup: (i) => byIndex.get(i), names };
}
