// A listed address or neighbour back into the spec that makes it, as routeSpecOf does for routes:
// read back, change, write (`{ ...addressSpecOf(a), dev: 'br0' }` puts the same address on br0).
import { IFA_F, ifaFlagNames, type Address, type Neighbour } from '@vrfctl/rtnetlink';
import { ADDRESS_FLAG_KEYWORDS, INFINITY_LIFETIME, type AddressFlag, type AddressSpec } from './addresses.js';
import { NUD_KEYWORDS, type NeighbourSpec, type NudState } from './neighbours.js';

/** The spec of a dumped address: device by index, local/prefix (and peer), scope, metric, flags, finite lifetimes. */
export function addressSpecOf(a: Address): AddressSpec {
  const local = a.local ?? a.address;
  const peer = a.local !== undefined && a.address !== undefined && a.address !== a.local ? a.address : undefined;
  const spec: AddressSpec = peer === undefined
    ? { dev: a.index, local: `${local}/${a.prefixlen}` }
    : { dev: a.index, local: local!, peer: `${peer}/${a.prefixlen}` };
  // A label other than the device's own name (eth0:1) is one the caller gave.
  if (a.label?.includes(':')) spec.label = a.label;
  if (a.broadcast !== undefined) spec.broadcast = a.broadcast;
  if (a.anycast !== undefined) spec.anycast = a.anycast;
  if (a.scope !== 'global' && a.scope !== 0) spec.scope = a.scope;
  if (a.rtPriority !== undefined) spec.metric = a.rtPriority;
  const bits = ifaFlagNames.value(a.flags);
  const flags = (Object.keys(ADDRESS_FLAG_KEYWORDS) as AddressFlag[]).filter((k) => bits & ADDRESS_FLAG_KEYWORDS[k]);
  if (flags.length > 0) spec.flags = flags;
  const ci = a.cacheinfo;
  // Addresses that expire (SLAAC, DHCP) carry their lifetimes; permanent ones do not.
  if (ci && !(bits & IFA_F.permanent) && ci.valid !== INFINITY_LIFETIME) {
    spec.validLft = ci.valid;
    spec.preferredLft = ci.preferred === INFINITY_LIFETIME ? 'forever' : ci.preferred;
  }
  return spec;
}

/** The spec of a dumped neighbour: destination, device by index, lladdr, state, router/proxy/extern_learn. */
export function neighbourSpecOf(n: Neighbour): NeighbourSpec {
  const spec: NeighbourSpec = { dst: n.dst ?? '', dev: n.index, lladdr: n.lladdr ?? null };
  const state = n.state.map((s) => s.toLowerCase()).find((s): s is NudState => s in NUD_KEYWORDS);
  if (state !== undefined) spec.state = state;
  else if (n.state.length === 0) spec.state = 'none';
  if (n.flags.includes('router')) spec.router = true;
  if (n.flags.includes('proxy')) spec.proxy = true;
  if (n.flags.includes('extern_learn')) spec.externLearn = true;
  return spec;
}
