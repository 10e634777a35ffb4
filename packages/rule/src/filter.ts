// iproute2's rule show/flush filter: every given selector must match.
import { parsePrefix } from '@vrfctl/netlink';
import { routeProtocolNames } from '@vrfctl/rtnetlink';
import type { Rule } from './model.js';
import type { RuleFilter } from './parse.js';

/** True when the first `length` bits of the rule's prefix equal the filter's (and the rule's is at least as long). */
function prefixMatches(filter: NonNullable<RuleFilter['src']>, ruleText: string | undefined): boolean {
  if (ruleText === undefined) return filter.length === 0;
  const slash = ruleText.lastIndexOf('/');
  const p = parsePrefix(ruleText.slice(0, slash));
  const len = Number(ruleText.slice(slash + 1));
  if (!p || p.family !== filter.family || filter.length > len) return false;
  for (let bit = 0; bit < filter.length; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((p.bytes[bit >> 3] & mask) !== (filter.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

export function ruleMatches(r: Rule, f: RuleFilter): boolean {
  if (f.priority !== undefined && (r.priority ?? 0) !== f.priority) return false;
  if (f.not && !r.not) return false;
  if (f.src && !prefixMatches(f.src, r.src)) return false;
  if (f.dst && !prefixMatches(f.dst, r.dst)) return false;
  if (f.tos !== undefined && r.tos !== f.tos) return false;
  if (f.fwmark && r.fwmark !== f.fwmark) return false;
  if (f.fwmask && r.fwmask !== f.fwmask) return false;
  if (f.iif !== undefined && r.iif !== f.iif) return false;
  if (f.oif !== undefined && r.oif !== f.oif) return false;
  if (f.l3mdev && !r.l3mdev) return false;
  if (f.uidRange && (r.uidRange?.start !== f.uidRange.start || r.uidRange?.end !== f.uidRange.end)) return false;
  if (f.ipProto && r.ipProto !== f.ipProto) return false;
  if (f.sport?.start && (r.sport?.start !== f.sport.start || r.sport?.end !== f.sport.end)) return false;
  if (f.dport?.start && (r.dport?.start !== f.dport.start || r.dport?.end !== f.dport.end)) return false;
  if (f.tunId && r.tunId !== f.tunId) return false;
  if (f.table && r.table !== f.table) return false;
  if (f.protocol !== undefined && routeProtocolNames.value(r.protocol ?? 0) !== f.protocol) return false;
  return true;
}
