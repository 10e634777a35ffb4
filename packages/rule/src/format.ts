// A Rule as `ip rule show` prints it (text) and as `ip -j rule show` does (field names, value
// types and order of iproute2 6.1's print_rule).
import { formatDsfield, formatGroup, formatIpProto, formatRealm, protocolNames, tableNames } from '@vrfctl/iproute2';
import { familyNames, routeProtocolNames, ruleActionNames } from '@vrfctl/rtnetlink';
import type { Rule } from './model.js';

const RTPROT_KERNEL = 2;
/** The actions print_rule names; others print as numbers (0: none). */
const ACTIONS: ReadonlySet<string> = new Set(['lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit']);

/** C's "%#x": 0 stays "0", anything else gets 0x. */
function hex(n: number): string {
  return n === 0 ? '0' : `0x${n.toString(16)}`;
}

type JsonValue = string | number | null;

/**
 * The fields of a rule in print order: [json key, json value, text]. Text pieces carry their
 * own leading space, as iproute2's format strings do.
 */
function fields(r: Rule): Array<[string | undefined, JsonValue | undefined, string]> {
  const out: Array<[string | undefined, JsonValue | undefined, string]> = [];
  const hostLen = familyNames.value(r.family) === 10 ? 128 : 32;
  const priority = r.priority ?? 0;
  const fwmark = r.fwmark ?? 0;
  const fwmask = r.fwmask ?? 0;
  const flags = new Set(r.flags);
  out.push(['priority', priority, `${priority}:\t`]);
  if (r.not) out.push(['not', null, 'not ']);
  const prefix = (text: string | undefined, key: 'src' | 'dst', word: string): void => {
    if (text !== undefined) {
      const slash = text.lastIndexOf('/');
      const addr = text.slice(0, slash);
      const len = Number(text.slice(slash + 1));
      out.push([key, addr, `${word}${addr}`]);
      if (len !== hostLen) out.push([`${key}len`, len, `/${len}`]);
    } else if (key === 'src') {
      out.push(['src', 'all', 'from all']);
    }
  };
  prefix(r.src, 'src', 'from ');
  prefix(r.dst, 'dst', ' to ');
  if (r.tos) out.push(['tos', formatDsfield(r.tos), ` tos ${formatDsfield(r.tos)}`]);
  if (fwmark || fwmask) {
    out.push(['fwmark', hex(fwmark), ` fwmark ${hex(fwmark)}`]);
    if (fwmask && fwmask !== 0xffffffff) out.push(['fwmask', hex(fwmask), `/${hex(fwmask)}`]);
  }
  if (r.iif !== undefined) {
    out.push(['iif', r.iif, ` iif ${r.iif}`]);
    if (flags.has('iif_detached')) out.push(['iif_detached', null, ' [detached]']);
  }
  if (r.oif !== undefined) {
    out.push(['oif', r.oif, ` oif ${r.oif}`]);
    if (flags.has('oif_detached')) out.push(['oif_detached', null, ' [detached]']);
  }
  if (r.l3mdev) out.push(['l3mdev', null, ' lookup [l3mdev-table]']);
  if (r.uidRange) {
    out.push(['uid_start', r.uidRange.start, ` uidrange ${r.uidRange.start}`]);
    out.push(['uid_end', r.uidRange.end, `-${r.uidRange.end}`]);
  }
  if (r.ipProto) out.push(['ipproto', formatIpProto(r.ipProto), ` ipproto ${formatIpProto(r.ipProto)}`]);
  for (const key of ['sport', 'dport'] as const) {
    const p = r[key];
    if (!p) continue;
    if (p.start === p.end) out.push([key, p.start, ` ${key} ${p.start}`]);
    else {
      out.push([`${key}_start`, p.start, ` ${key} ${p.start}`]);
      out.push([`${key}_end`, p.end, `-${p.end}`]);
    }
  }
  if (r.tunId) out.push(['tun_id', Number(r.tunId), ` tun_id ${r.tunId}`]);
  if (r.table) {
    const name = tableNames.name(r.table);
    out.push(['table', name, ` lookup ${name}`]);
    if (r.suppressPrefixlen !== undefined) {
      out.push(['suppress_prefixlen', r.suppressPrefixlen, ` suppress_prefixlength ${r.suppressPrefixlen}`]);
    }
    if (r.suppressIfgroup !== undefined) {
      const g = formatGroup(r.suppressIfgroup);
      out.push(['suppress_ifgroup', g, ` suppress_ifgroup ${g}`]);
    }
  }
  if (r.realms) {
    const from = r.realms >>> 16;
    const to = formatRealm(r.realms & 0xffff);
    if (from) out.push(['flow_from', formatRealm(from), ` realms ${formatRealm(from)}/`]);
    else out.push([undefined, undefined, ' realms ']);
    out.push(['flow_to', to, to]);
  }
  const actionNumber = ruleActionNames.value(r.action);
  const action = ruleActionNames.name(actionNumber);
  if (action === 'goto') {
    if (r.goto !== undefined) out.push(['goto', r.goto, ` goto ${r.goto}`]);
    else out.push(['goto', 'none', ' goto none']);
    if (flags.has('unresolved')) out.push(['unresolved', null, ' [unresolved]']);
  } else if (action === 'nop') {
    out.push(['nop', null, ' nop']);
  } else if (action !== 'lookup') {
    const name = typeof action === 'string' && ACTIONS.has(action) ? action : actionNumber === 0 ? 'none' : String(actionNumber);
    out.push(['action', name, ` ${name}`]);
  }
  const protocol = routeProtocolNames.value(r.protocol ?? 0);
  if (protocol && protocol !== RTPROT_KERNEL) {
    const p = protocolNames.name(protocol);
    out.push(['protocol', p, ` proto ${p}`]);
  }
  return out;
}

/** One line of `ip rule show`, without the newline. */
export function formatRule(r: Rule): string {
  return fields(r).map(([, , text]) => text).join('');
}

/** One object of `ip -j rule show`. */
export function ruleToJson(r: Rule): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  for (const [key, value] of fields(r)) if (key !== undefined && value !== undefined) o[key] = value;
  return o;
}
