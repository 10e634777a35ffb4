// Options of the kinds whose IFLA_INFO_DATA @vrfctl/rtnetlink declares as tables (bond, ipvlan):
// the option object is the kind's model without `unknown`, written in key order by the table.
import { MessageBuilder } from '@vrfctl/netlink';
import { IFLA, IFLA_INFO, writeKindData, type BondData, type IpvlanData, type KindOptions } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { writeBridgeData, type BridgeOptions } from './link-kinds.js';

/**
 * `type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 min_links 1`: the
 * enums by iproute2's names; `activeSlave` and `primary` are interface indexes.
 */
export type BondOptions = KindOptions<BondData>;
/** `type ipvlan mode l2|l3|l3s [bridge|private|vepa]`. */
export type IpvlanOptions = KindOptions<IpvlanData>;

/** The kinds whose options are written by their rtnetlink table. */
export const TABLE_KINDS = ['bond', 'ipvlan'] as const;
export type TableKind = (typeof TABLE_KINDS)[number];

const U32 = 0xffffffff;
const LIMITS: Readonly<Record<string, number>> = {
  miimon: U32, updelay: U32, downdelay: U32, peerNotifyDelay: U32, arpInterval: U32, resendIgmp: U32, minLinks: U32,
  lpInterval: U32, packetsPerSlave: U32, activeSlave: U32, primary: U32, useCarrier: 0xff, numPeerNotif: 0xff,
  allSlavesActive: 0xff, tlbDynamicLb: 0xff, arpMissedMax: 0xff, adActorSysPrio: 0xffff, adUserPortKey: 0xffff,
};

/** Every value in range and every name known, before anything is sent (ArgumentError naming it). */
export function validateKindOptions(kind: TableKind, o: object): void {
  for (const [key, v] of Object.entries(o)) {
    const max = LIMITS[key];
    if (max !== undefined && typeof v === 'number' && (!Number.isInteger(v) || v < 0 || v > max)) {
      throw new ArgumentError(`invalid ${kind} ${key} ${v}: out of range 0…${max}`);
    }
  }
  try {
    writeKindData(new MessageBuilder(256), kind, o);
  } catch (err) {
    if (err instanceof RangeError || err instanceof TypeError) throw new ArgumentError(`invalid ${kind} options: ${err.message}`);
    throw err;
  }
}

/** `ip link set DEV type KIND OPTIONS`: the kind's options on an existing link. */
export interface KindChange {
  kind: 'bond' | 'ipvlan' | 'bridge';
  bond?: BondOptions;
  ipvlan?: IpvlanOptions;
  bridge?: BridgeOptions;
}

export function validateKindChange(c: KindChange): void {
  if (!['bond', 'ipvlan', 'bridge'].includes(c.kind)) throw new ArgumentError(`link set: options of link type "${c.kind}" are not supported (bond, ipvlan, bridge)`);
  for (const k of ['bond', 'ipvlan', 'bridge'] as const) {
    if (c[k] !== undefined && c.kind !== k) throw new ArgumentError(`"${k}" options need type ${k}, not ${c.kind}`);
  }
  if (c.kind !== 'bridge' && c[c.kind]) validateKindOptions(c.kind, c[c.kind]!);
}

/** IFLA_LINKINFO {KIND, DATA} of a change, as ip writes it (the kind without its NUL). */
export function writeKindChange(b: MessageBuilder, c: KindChange): void {
  const info = b.nest(IFLA.LINKINFO, true);
  b.binary(IFLA_INFO.KIND, Buffer.from(c.kind));
  const data = c[c.kind];
  if (data && Object.keys(data).length > 0) {
    const at = b.nest(IFLA_INFO.DATA, true);
    if (c.kind === 'bridge') writeBridgeData(b, c.bridge!);
    else writeKindData(b, c.kind, data);
    b.endNest(at);
  }
  b.endNest(info);
}
