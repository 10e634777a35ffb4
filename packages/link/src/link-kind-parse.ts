// `ip link add|set … type bond|ipvlan …` words to options. Bond options are kept in the order
// given, since iproute2 writes each attribute as it parses it.
import { ArgCursor, ArgumentError, parseUnsigned } from '@vrfctl/iproute2';
import { parseMac } from '@vrfctl/netlink';
import {
  bondAdSelectNames, bondArpAllTargetsNames, bondArpValidateNames, bondFailOverMacNames, bondLacpRateNames, bondModeNames,
  bondPrimaryReselectNames, bondXmitHashPolicyNames, type EnumNames,
} from '@vrfctl/rtnetlink';
import type { BondOptions, IpvlanOptions } from './link-kind-options.js';

/** A name of the enum, or its value as a number (iproute2's get_index takes both). */
function enumWord(text: string, names: EnumNames, what: string): string {
  if (/^\d+$/.test(text) && names.has(Number(text))) return names.text(Number(text));
  for (const [, name] of names.entries()) if (name === text) return name;
  const known = [...names.entries()].map(([, n]) => n).join('|');
  throw new ArgumentError(`invalid ${what} "${text}": ${known}`);
}

type BondKey = keyof BondOptions & string;
const BOND_NUMBERS: Record<string, [BondKey, number]> = {
  miimon: ['miimon', 0xffffffff], updelay: ['updelay', 0xffffffff], downdelay: ['downdelay', 0xffffffff],
  peer_notify_delay: ['peerNotifyDelay', 0xffffffff], use_carrier: ['useCarrier', 0xff], arp_interval: ['arpInterval', 0xffffffff],
  arp_missed_max: ['arpMissedMax', 0xff], resend_igmp: ['resendIgmp', 0xffffffff], num_grat_arp: ['numPeerNotif', 0xff],
  num_unsol_na: ['numPeerNotif', 0xff], all_slaves_active: ['allSlavesActive', 0xff], min_links: ['minLinks', 0xffffffff],
  lp_interval: ['lpInterval', 0xffffffff], packets_per_slave: ['packetsPerSlave', 0xffffffff],
  ad_user_port_key: ['adUserPortKey', 0xffff], ad_actor_sys_prio: ['adActorSysPrio', 0xffff], tlb_dynamic_lb: ['tlbDynamicLb', 0xff],
};
const BOND_ENUMS: Record<string, [BondKey, EnumNames]> = {
  mode: ['mode', bondModeNames], arp_validate: ['arpValidate', bondArpValidateNames], arp_all_targets: ['arpAllTargets', bondArpAllTargetsNames],
  primary_reselect: ['primaryReselect', bondPrimaryReselectNames], fail_over_mac: ['failOverMac', bondFailOverMacNames],
  xmit_hash_policy: ['xmitHashPolicy', bondXmitHashPolicyNames], lacp_rate: ['lacpRate', bondLacpRateNames],
  ad_select: ['adSelect', bondAdSelectNames],
};

/** The words after `type bond`. */
export function parseBond(c: ArgCursor): BondOptions {
  const o: Record<string, string | number> = {};
  while (!c.done) {
    const w = c.next();
    const num = BOND_NUMBERS[w];
    const en = BOND_ENUMS[w];
    if (num) o[num[0]] = parseUnsigned(c.value(w), w, num[1]);
    else if (en) o[en[0]] = enumWord(c.value(w), en[1], `bond ${w}`);
    else if (w === 'lacp_active') {
      const v = c.value(w);
      if (v !== 'on' && v !== 'off') throw new ArgumentError(`invalid bond lacp_active "${v}": on|off`);
      o.lacpActive = v;
    } else if (w === 'ad_actor_system') {
      const v = c.value(w);
      if (!parseMac(v)) throw new ArgumentError(`invalid bond ad_actor_system "${v}": not a link-layer address`);
      o.adActorSystem = v;
    } else throw new ArgumentError(`unknown bond option "${w}"`);
  }
  return o as BondOptions;
}

/** The words after `type ipvlan`: mode l2|l3|l3s and one of bridge|private|vepa (bridge when none is given). */
export function parseIpvlan(c: ArgCursor): IpvlanOptions {
  let mode: string | undefined;
  let flags: string | undefined;
  while (!c.done) {
    const w = c.next();
    if (w === 'mode') {
      const v = c.value('mode');
      if (v !== 'l2' && v !== 'l3' && v !== 'l3s') throw new ArgumentError(`invalid ipvlan mode "${v}": l2, l3 or l3s`);
      mode = v;
    } else if (w === 'bridge' || w === 'private' || w === 'vepa') {
      if (flags !== undefined && flags !== w) throw new ArgumentError(`ipvlan: "${flags}" and "${w}" exclude each other`);
      flags = w;
    } else throw new ArgumentError(`unknown ipvlan option "${w}"`);
  }
  // iproute2 6.1 writes the flags (0: bridge) after the mode, given or not.
  return mode !== undefined ? { mode, flags: flags ?? 'bridge' } : { flags: flags ?? 'bridge' };
}
