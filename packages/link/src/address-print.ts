// Addresses as `ip addr` prints them, inside each link's JSON object or text block.
import { scopeNames as rtScopeNames } from '@vrfctl/rtnetlink';
import { IFA_F, ifaFlagNames, type Address, type EnumValue } from '@vrfctl/rtnetlink';
import { scopeNames } from '@vrfctl/iproute2';

const FOREVER = 0xffffffff;

/** iproute2's flag table order; "permanent" is shown inverted, as "dynamic". */
const FLAG_ORDER: Array<[string, number]> = [
  ['secondary', IFA_F.secondary], ['nodad', IFA_F.nodad], ['optimistic', IFA_F.optimistic],
  ['dadfailed', IFA_F.dadfailed], ['home', IFA_F.home], ['deprecated', IFA_F.deprecated],
  ['tentative', IFA_F.tentative], ['permanent', IFA_F.permanent], ['mngtmpaddr', IFA_F.managetempaddr],
  ['noprefixroute', IFA_F.noprefixroute], ['autojoin', IFA_F.mcautojoin], ['stable-privacy', IFA_F.stable_privacy],
];

function flagWords(a: Address): string[] {
  const out: string[] = [];
  let flags = ifaFlagNames.value(a.flags);
  for (const [name, bit] of FLAG_ORDER) {
    if (bit === IFA_F.permanent) {
      if (!(flags & bit)) out.push('dynamic');
    } else if (flags & bit) {
      out.push(bit === IFA_F.secondary && a.family === 'inet6' ? 'temporary' : name);
    }
    flags &= ~bit;
  }
  return out;
}

/** Scopes by rt_scopes name (the model carries the kernel's fixed names). */
function addressScope(scope: EnumValue): string {
  return scopeNames.name(rtScopeNames.value(scope));
}

function peerOf(a: Address): string | undefined {
  return a.local !== undefined && a.address !== undefined && a.address !== a.local ? a.address : undefined;
}

export function addressToJson(a: Address): Record<string, unknown> {
  const j: Record<string, unknown> = { family: a.family };
  j.local = a.local ?? a.address;
  const peer = peerOf(a);
  if (peer !== undefined) j.address = peer;
  j.prefixlen = a.prefixlen;
  if (a.rtPriority !== undefined) j.metric = a.rtPriority;
  if (a.broadcast !== undefined) j.broadcast = a.broadcast;
  if (a.anycast !== undefined) j.anycast = a.anycast;
  j.scope = addressScope(a.scope);
  for (const f of flagWords(a)) j[f] = true;
  if (a.label !== undefined) j.label = a.label;
  if (a.cacheinfo) {
    j.valid_life_time = a.cacheinfo.valid;
    j.preferred_life_time = a.cacheinfo.preferred;
  }
  return j;
}

function lifetime(v: number): string {
  return v === FOREVER ? 'forever' : `${v}sec`;
}

/** The two lines of one address (indented as under its link). */
export function formatAddress(a: Address): string[] {
  let line = `    ${a.family === 'inet6' ? 'inet6' : 'inet'} ${a.local ?? a.address}`;
  const peer = peerOf(a);
  if (peer !== undefined) line += ` peer ${peer}`;
  line += `/${a.prefixlen} `;
  if (a.rtPriority !== undefined) line += `metric ${a.rtPriority} `;
  if (a.broadcast !== undefined) line += `brd ${a.broadcast} `;
  if (a.anycast !== undefined) line += `any ${a.anycast} `;
  line += `scope ${addressScope(a.scope)} `;
  for (const f of flagWords(a)) line += `${f} `;
  if (a.label !== undefined) line += a.label;
  const lines = [line];
  if (a.cacheinfo) lines.push(`       valid_lft ${lifetime(a.cacheinfo.valid)} preferred_lft ${lifetime(a.cacheinfo.preferred)}`);
  return lines;
}
