// What `ip -d link show` adds to a link: promiscuity and MTU bounds, the kind and its data
// (bond, bond port, ipvlan, bridge, vrf, vrf port, vlan, macvlan, vxlan), the IPv6 address generation mode and the
// queue and offload sizes, with ip's text and -j keys, in ip's (iproute2 6.1) order.
import {
  IFLA, IFLA_VLAN, vlanProtocolNames, type VlanData, type BondData, type BondSlaveData, type BridgeData, type BridgeSlaveData, type EnumValue, type IpvlanData, type Link, type MacvlanData, type VrfPortData, type VxlanData,
} from '@vrfctl/rtnetlink';
import type { LinkLookup } from './link-print.js';

/** One printed field: its -j key and value, and its text ("miimon 100 "); a key of null prints text only. */
type Field = [key: string | null, json: unknown, text: string];

function rawOf(link: { unknown: Array<{ type: number; value: Uint8Array }> }, type: number): Uint8Array | undefined {
  return link.unknown.find((a) => (a.type & 0x3fff) === type)?.value;
}

function rawU32(link: Link, type: number): number | undefined {
  const v = rawOf(link, type);
  return v && v.length === 4 ? Buffer.from(v).readUInt32LE(0) : undefined;
}

function rawString(link: Link, type: number): string | undefined {
  const v = rawOf(link, type);
  if (!v || v.length === 0) return undefined;
  const end = v.indexOf(0);
  return Buffer.from(v.subarray(0, end === -1 ? v.length : end)).toString();
}

/** Nested attributes of a raw nest, by type (first of each). */
function nestOf(v: Uint8Array | undefined): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  if (!v) return out;
  const b = Buffer.from(v);
  for (let off = 0; off + 4 <= b.length; ) {
    const len = b.readUInt16LE(off);
    if (len < 4 || off + len > b.length) break;
    const type = b.readUInt16LE(off + 2) & 0x3fff;
    if (!out.has(type)) out.set(type, b.subarray(off + 4, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}

const ADDR_GEN_MODES = ['eui64', 'none', 'stable_secret', 'random'];
const AF_INET6 = 10;
const IFLA_INET6_ADDR_GEN_MODE = 8;

/** IFLA_AF_SPEC → AF_INET6 → IFLA_INET6_ADDR_GEN_MODE, as ip names it. */
function addrGenMode(link: Link): string | undefined {
  const inet6 = nestOf(nestOf(rawOf(link, IFLA.AF_SPEC)).get(AF_INET6)).get(IFLA_INET6_ADDR_GEN_MODE);
  if (!inet6 || inet6.length !== 1) return undefined;
  return ADDR_GEN_MODES[inet6[0]] ?? `0x${inet6[0].toString(16).padStart(2, '0')}`;
}

const num = (key: string, v: number | undefined, text = key): Field[] => (v === undefined ? [] : [[key, v, `${text} ${v} `]]);
const str = (key: string, v: EnumValue | undefined, text = key): Field[] => (v === undefined ? [] : [[key, String(v), `${text} ${v} `]]);
const onOff = (key: string, v: number | undefined, text = key): Field[] => (v === undefined ? [] : [[key, v !== 0, `${text} ${v ? 'on' : 'off'} `]]);

/** A port or device index by name, as ip's if_indextoname, else by number under KEY_index. */
function dev(key: string, index: number | undefined, lookup: LinkLookup): Field[] {
  if (!index) return [];
  const name = lookup(index)?.ifname;
  return name !== undefined ? [[key, name, `${key} ${name} `]] : [[`${key}_index`, index, `${key} ${index} `]];
}

function bondFields(d: BondData, lookup: LinkLookup): Field[] {
  const ad = d.adInfo;
  return [
    ...str('mode', d.mode),
    ...dev('active_slave', d.activeSlave, lookup),
    ...num('miimon', d.miimon), ...num('updelay', d.updelay), ...num('downdelay', d.downdelay),
    ...num('peer_notify_delay', d.peerNotifyDelay), ...num('use_carrier', d.useCarrier), ...num('arp_interval', d.arpInterval),
    ...num('arp_missed_max', d.arpMissedMax),
    // ip shows "none" as null in JSON.
    ...(d.arpValidate === undefined ? [] : [['arp_validate', d.arpValidate === 'none' ? null : String(d.arpValidate), `arp_validate ${d.arpValidate} `] as Field]),
    ...str('arp_all_targets', d.arpAllTargets),
    ...dev('primary', d.primary, lookup),
    ...str('primary_reselect', d.primaryReselect), ...str('fail_over_mac', d.failOverMac), ...str('xmit_hash_policy', d.xmitHashPolicy),
    ...num('resend_igmp', d.resendIgmp), ...num('num_peer_notif', d.numPeerNotif, 'num_grat_arp'),
    ...num('all_slaves_active', d.allSlavesActive), ...num('min_links', d.minLinks), ...num('lp_interval', d.lpInterval),
    ...num('packets_per_slave', d.packetsPerSlave), ...str('ad_lacp_active', d.lacpActive, 'lacp_active'),
    ...str('ad_lacp_rate', d.lacpRate, 'lacp_rate'), ...str('ad_select', d.adSelect),
    ...(ad === undefined ? [] : [['ad_info', fieldsToJson([
      ...num('aggregator', ad.aggregator, 'ad_aggregator'), ...num('num_ports', ad.numPorts, 'ad_num_ports'),
      ...num('actor_key', ad.actorKey, 'ad_actor_key'), ...num('partner_key', ad.partnerKey, 'ad_partner_key'),
      ...str('partner_mac', ad.partnerMac, 'ad_partner_mac'),
    ]), fieldsToText([
      ...num('aggregator', ad.aggregator, 'ad_aggregator'), ...num('num_ports', ad.numPorts, 'ad_num_ports'),
      ...num('actor_key', ad.actorKey, 'ad_actor_key'), ...num('partner_key', ad.partnerKey, 'ad_partner_key'),
      ...str('partner_mac', ad.partnerMac, 'ad_partner_mac'),
    ])] as Field]),
    ...num('ad_actor_sys_prio', d.adActorSysPrio), ...num('ad_user_port_key', d.adUserPortKey), ...str('ad_actor_system', d.adActorSystem),
    ...num('tlb_dynamic_lb', d.tlbDynamicLb),
  ];
}

const LACP_STATE = ['active', 'short_timeout', 'aggregating', 'in_sync', 'collecting', 'distributing', 'defaulted', 'expired'];

function lacpState(key: string, v: number | undefined): Field[] {
  if (v === undefined) return [];
  const names = LACP_STATE.filter((_, i) => v & (1 << i));
  return [...num(key, v), [`${key}_str`, names, `${key}_str <${names.join(',')}> `]];
}

function bondSlaveFields(d: BondSlaveData): Field[] {
  return [
    ...str('state', d.state), ...str('mii_status', d.miiStatus), ...num('link_failure_count', d.linkFailureCount),
    ...str('perm_hwaddr', d.permHwaddr), ...num('queue_id', d.queueId), ...num('prio', d.prio),
    ...num('ad_aggregator_id', d.adAggregatorId), ...lacpState('ad_actor_oper_port_state', d.adActorOperPortState),
    ...lacpState('ad_partner_oper_port_state', d.adPartnerOperPortState),
  ];
}

function ipvlanFields(d: IpvlanData): Field[] {
  const out: Field[] = d.mode === undefined ? [] : [['mode', String(d.mode), ` mode ${d.mode} `]];
  if (d.flags !== undefined) out.push([String(d.flags), true, `${d.flags} `]);
  return out;
}

const MACVLAN_FLAG_NOPROMISC = 1;
const MACVLAN_FLAG_NODST = 2;

function macvlanFields(d: MacvlanData): Field[] {
  if (d.mode === undefined) return [];
  const out: Field[] = [['mode', typeof d.mode === 'string' ? d.mode : 'unknown', `mode ${typeof d.mode === 'string' ? d.mode : 'unknown'} `]];
  if (d.flags !== undefined) {
    if (d.flags & MACVLAN_FLAG_NOPROMISC) out.push(['nopromisc', true, 'nopromisc ']);
    if (d.flags & MACVLAN_FLAG_NODST) out.push(['nodst', true, 'nodst ']);
  }
  out.push(...num('bcqueuelen', d.bcQueueLen), ...num('usedbcqueuelen', d.bcQueueLenUsed));
  // Source mode lists its source addresses: "remotes (2) 02:…:02 02:…:01 ".
  if (d.mode !== 'source' || d.macaddrCount === undefined) return out;
  out.push(['macaddr_count', d.macaddrCount, `remotes (${d.macaddrCount}) `]);
  if (d.macaddrs !== undefined) out.push(['macaddr_data', d.macaddrs, d.macaddrs.map((a) => `${a} `).join('')]);
  return out;
}

const VXLAN_DF = ['unset', 'set', 'inherit'];
const unspecified = (a: string | undefined) => a === undefined || a === '0.0.0.0' || a === '::';

/** A VXLAN remote: a multicast group prints as group, anything else as remote. */
function vxlanPeer(a: string | undefined, six: boolean): Field[] {
  if (unspecified(a)) return [];
  const multicast = six ? /^ff/i.test(a!) : Number(a!.split('.')[0]) >= 224 && Number(a!.split('.')[0]) <= 239;
  const key = (multicast ? 'group' : 'remote') + (six ? '6' : '');
  return [[key, a, `${multicast ? 'group' : 'remote'} ${a} `]];
}

/** ip 6.1's vxlan_print_opt, key for key. */
function vxlanFields(d: VxlanData, lookup: LinkLookup): Field[] {
  const out: Field[] = [];
  if (d.collectMetadata) out.push(['external', true, 'external ']);
  // ip prints "vnifilter" without its trailing space.
  if (d.vnifilter) out.push(['vnifilter', true, 'vnifilter']);
  if (d.id === undefined) return out;
  out.push(...num('id', d.id));
  out.push(...(d.group !== undefined ? vxlanPeer(d.group, false) : vxlanPeer(d.group6, true)));
  if (d.local !== undefined) { if (!unspecified(d.local)) out.push(['local', d.local, `local ${d.local} `]); }
  else if (!unspecified(d.local6)) out.push(['local6', d.local6, `local ${d.local6} `]);
  if (d.link) {
    const name = lookup(d.link)?.ifname ?? `if${d.link}`;
    out.push(['link', name, `dev ${name} `]);
  }
  if (d.portRange !== undefined) out.push(['port_range', { low: d.portRange.start, high: d.portRange.end }, `srcport ${d.portRange.start} ${d.portRange.end} `]);
  out.push(...num('port', d.port, 'dstport'));
  if (d.learning !== undefined) out.push(['learning', d.learning !== 0, d.learning ? '' : 'nolearning ']);
  for (const [key, v] of [['proxy', d.proxy], ['rsc', d.rsc], ['l2miss', d.l2miss], ['l3miss', d.l3miss]] as const) {
    if (v) out.push([key, true, `${key} `]);
  }
  if (d.tos) out.push(['tos', `0x${d.tos.toString(16)}`, d.tos === 1 ? 'tos inherit ' : `tos 0x${d.tos.toString(16)} `]);
  if (d.ttlInherit) out.push([null, null, 'ttl inherit ']);
  else if (d.ttl !== undefined) out.push(['ttl', d.ttl, d.ttl ? `ttl ${d.ttl} ` : 'ttl auto ']);
  if (d.df !== undefined) {
    const name = VXLAN_DF[d.df] ?? String(d.df);
    out.push(['df', name, d.df === 0 ? '' : `df ${name} `]);
  }
  if (d.label) out.push(['label', `0x${d.label.toString(16)}`, `flowlabel 0x${d.label.toString(16)} `]);
  if (d.ageing !== undefined) out.push(['ageing', d.ageing, d.ageing === 0 ? 'ageing none ' : `ageing ${d.ageing} `]);
  if (d.limit) out.push(['limit', d.limit, `maxaddr ${d.limit} `]);
  for (const [key, v, text] of [['udp_csum', d.udpCsum, 'udpcsum'], ['udp_zero_csum6_tx', d.udpZeroCsum6Tx, 'udp6zerocsumtx'],
    ['udp_zero_csum6_rx', d.udpZeroCsum6Rx, 'udp6zerocsumrx']] as const) {
    if (v !== undefined) out.push([key, v !== 0, `${v ? '' : 'no'}${text} `]);
  }
  if (d.remcsumTx) out.push(['remcsum_tx', true, 'remcsumtx ']);
  if (d.remcsumRx) out.push(['remcsum_rx', true, 'remcsumrx ']);
  if (d.gbp) out.push(['gbp', true, 'gbp ']);
  if (d.gpe) out.push(['gpe', true, 'gpe ']);
  return out;
}

/** struct ifla_bridge_id as ip prints it: "8000.2:0:0:0:0:b1". */
function bridgeId(v: Uint8Array | undefined): string | undefined {
  if (!v || v.length !== 8) return undefined;
  const hex = (b: number) => b.toString(16);
  return `${hex(v[0]).padStart(2, '0')}${hex(v[1]).padStart(2, '0')}.${[...v.subarray(2)].map(hex).join(':')}`;
}

/** A timer in hundredths of a second: "hello_timer    0.00 " and 0.00 in JSON. */
function timer(key: string, v: bigint | undefined): Field[] {
  if (v === undefined) return [];
  const sec = v / 100n;
  const cs = (v % 100n).toString().padStart(2, '0');
  return [[key, Number(v) / 100, `${key} ${sec.toString().padStart(4)}.${cs} `]];
}

function bridgeFields(d: BridgeData): Field[] {
  const out: Field[] = [
    ...num('forward_delay', d.forwardDelay), ...num('hello_time', d.helloTime), ...num('max_age', d.maxAge),
    ...num('ageing_time', d.ageingTime), ...num('stp_state', d.stpState), ...num('priority', d.priority),
    ...num('vlan_filtering', d.vlanFiltering), ...str('vlan_protocol', d.vlanProtocol),
    ...str('bridge_id', bridgeId(d.bridgeId)), ...str('root_id', bridgeId(d.rootId), 'designated_root'),
    ...num('root_port', d.rootPort), ...num('root_path_cost', d.rootPathCost), ...num('topology_change', d.topologyChange),
    ...num('topology_change_detected', d.topologyChangeDetected), ...timer('hello_timer', d.helloTimer), ...timer('tcn_timer', d.tcnTimer),
    ...timer('topology_change_timer', d.topologyChangeTimer), ...timer('gc_timer', d.gcTimer),
    ...num('vlan_default_pvid', d.vlanDefaultPvid), ...num('vlan_stats_enabled', d.vlanStatsEnabled),
    ...num('vlan_stats_per_port', d.vlanStatsPerPort),
    ...(d.groupFwdMask === undefined ? [] : [['group_fwd_mask', hex0(d.groupFwdMask), `group_fwd_mask ${hex0(d.groupFwdMask)} `] as Field]),
    ...str('group_addr', d.groupAddr, 'group_address'), ...num('mcast_snooping', d.mcastSnooping),
  ];
  if (d.multiBoolopt && d.multiBoolopt.length === 8) {
    const b = Buffer.from(d.multiBoolopt);
    const val = b.readUInt32LE(0);
    const mask = b.readUInt32LE(4);
    ['no_linklocal_learn', 'mcast_vlan_snooping'].forEach((name, bit) => {
      if (mask & (1 << bit)) out.push(...num(name, val & (1 << bit) ? 1 : 0));
    });
  }
  const ms = (v: bigint | undefined) => (v === undefined ? undefined : Number(v));
  out.push(
    ...num('mcast_router', d.mcastRouter), ...num('mcast_query_use_ifaddr', d.mcastQueryUseIfaddr), ...num('mcast_querier', d.mcastQuerier),
    ...num('mcast_hash_elasticity', d.mcastHashElasticity), ...num('mcast_hash_max', d.mcastHashMax),
    ...num('mcast_last_member_cnt', d.mcastLastMemberCnt, 'mcast_last_member_count'),
    ...num('mcast_startup_query_cnt', d.mcastStartupQueryCnt, 'mcast_startup_query_count'),
    ...num('mcast_last_member_intvl', ms(d.mcastLastMemberIntvl), 'mcast_last_member_interval'),
    ...num('mcast_membership_intvl', ms(d.mcastMembershipIntvl), 'mcast_membership_interval'),
    ...num('mcast_querier_intvl', ms(d.mcastQuerierIntvl), 'mcast_querier_interval'),
    ...num('mcast_query_intvl', ms(d.mcastQueryIntvl), 'mcast_query_interval'),
    ...num('mcast_query_response_intvl', ms(d.mcastQueryResponseIntvl), 'mcast_query_response_interval'),
    ...num('mcast_startup_query_intvl', ms(d.mcastStartupQueryIntvl), 'mcast_startup_query_interval'),
    ...num('mcast_stats_enabled', d.mcastStatsEnabled), ...num('mcast_igmp_version', d.mcastIgmpVersion),
    ...num('mcast_mld_version', d.mcastMldVersion), ...num('nf_call_iptables', d.nfCallIptables),
    ...num('nf_call_ip6tables', d.nfCallIp6tables), ...num('nf_call_arptables', d.nfCallArptables),
  );
  return out;
}

const hexId = (key: string, v: number | undefined, text: string): Field[] => (v === undefined ? [] : [[key, `0x${v.toString(16)}`, `${text} 0x${v.toString(16)} `]]);

function bridgeSlaveFields(d: BridgeSlaveData, lookup: LinkLookup): Field[] {
  return [
    ...str('state', d.state), ...num('priority', d.priority), ...num('cost', d.cost), ...onOff('hairpin', d.mode),
    ...onOff('guard', d.guard), ...onOff('root_block', d.protect), ...onOff('fastleave', d.fastLeave), ...onOff('learning', d.learning),
    ...onOff('flood', d.unicastFlood), ...hexId('id', d.id, 'port_id'), ...hexId('no', d.no, 'port_no'),
    ...num('designated_port', d.designatedPort), ...num('designated_cost', d.designatedCost),
    ...str('bridge_id', bridgeId(d.bridgeId), 'designated_bridge'), ...str('root_id', bridgeId(d.rootId), 'designated_root'),
    ...timer('hold_timer', d.holdTimer), ...timer('message_age_timer', d.messageAgeTimer), ...timer('forward_delay_timer', d.forwardDelayTimer),
    ...num('topology_change_ack', d.topologyChangeAck), ...num('config_pending', d.configPending),
    ...onOff('proxy_arp', d.proxyarp), ...onOff('proxy_arp_wifi', d.proxyarpWifi),
    ...num('multicast_router', d.multicastRouter, 'mcast_router'),
    // ip prints fast leave a second time, in the text only.
    ...(d.fastLeave === undefined ? [] : [[null, null, `mcast_fast_leave ${d.fastLeave ? 'on' : 'off'} `] as Field]),
    ...onOff('mcast_flood', d.mcastFlood), ...onOff('bcast_flood', d.bcastFlood), ...onOff('mcast_to_unicast', d.mcastToUcast),
    ...onOff('neigh_suppress', d.neighSuppress),
    ...(d.groupFwdMask === undefined ? [] : [
      ['group_fwd_mask', hex0(d.groupFwdMask), `group_fwd_mask ${hex0(d.groupFwdMask)} `] as Field,
      ['group_fwd_mask_str', `0x${d.groupFwdMask.toString(16)}`, `group_fwd_mask_str 0x${d.groupFwdMask.toString(16)} `] as Field,
    ]),
    ...onOff('vlan_tunnel', d.vlanTunnel), ...onOff('isolated', d.isolated), ...dev('backup_port', d.backupPort, lookup),
    ...onOff('locked', d.locked),
  ];
}

/** C's "%#x": 0 stays "0". */
function hex0(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}

const VLAN_FLAGS: Array<[string, number]> = [['REORDER_HDR', 1], ['GVRP', 2], ['MVRP', 8], ['LOOSE_BINDING', 4], ['BRIDGE_BINDING', 0x10]];

function vlanFields(d: VlanData): Field[] {
  const out: Field[] = [...str('protocol', d.protocol === undefined ? undefined : vlanProtocolNames.name(d.protocol)), ...num('id', d.id)];
  const raw = rawOf(d, IFLA_VLAN.FLAGS);
  if (raw && raw.length === 8) {
    let flags = Buffer.from(raw).readUInt32LE(0);
    const names: string[] = [];
    for (const [name, bit] of VLAN_FLAGS) if (flags & bit) { names.push(name); flags &= ~bit; }
    if (flags) names.push(flags.toString(16));
    out.push(['flags', names, `<${names.join(',')}> `]);
  }
  return out;
}

/** The kinds ip prints data for; other kinds print their name only. */
function dataFields(kind: string, data: object, lookup: LinkLookup): Field[] | undefined {
  switch (kind) {
    case 'bond': return bondFields(data as BondData, lookup);
    case 'ipvlan': return ipvlanFields(data as IpvlanData);
    case 'bridge': return bridgeFields(data as BridgeData);
    case 'vrf': return num('table', (data as { table?: number }).table);
    case 'vlan': return vlanFields(data as VlanData);
    case 'macvlan': return macvlanFields(data as MacvlanData);
    case 'vxlan': return vxlanFields(data as VxlanData, lookup);
    default: return undefined;
  }
}

function slaveFields(kind: string, data: object, lookup: LinkLookup): Field[] | undefined {
  switch (kind) {
    case 'bridge': return bridgeSlaveFields(data as BridgeSlaveData, lookup);
    case 'bond': return bondSlaveFields(data as BondSlaveData);
    case 'vrf': return num('table', (data as VrfPortData).table);
    default: return undefined;
  }
}

function fieldsToJson(fields: Field[]): Record<string, unknown> {
  const j: Record<string, unknown> = {};
  for (const [key, v] of fields) if (key !== null) j[key] = v;
  return j;
}

function fieldsToText(fields: Field[]): string {
  return fields.map((f) => f[2]).join('');
}

interface Details {
  head: Field[];
  linkinfo?: { kind?: string; data?: Field[]; slaveKind?: string; slaveData?: Field[] };
  tail: Field[];
}

function details(link: Link, lookup: LinkLookup): Details {
  const head: Field[] = [
    ['promiscuity', link.promiscuity ?? 0, ` promiscuity ${link.promiscuity ?? 0} `],
    ...(rawU32(link, IFLA.ALLMULTI) === undefined ? [] : [['allmulti', rawU32(link, IFLA.ALLMULTI), ` allmulti ${rawU32(link, IFLA.ALLMULTI)} `] as Field]),
    ...num('min_mtu', link.minMtu, 'minmtu'), ...num('max_mtu', link.maxMtu, 'maxmtu'),
  ];
  const li = link.linkinfo;
  let linkinfo: Details['linkinfo'];
  if (li) {
    linkinfo = {};
    if (li.kind !== undefined) {
      linkinfo.kind = li.kind;
      linkinfo.data = li.data ? dataFields(li.kind, li.data, lookup) : undefined;
    }
    if (li.slaveKind !== undefined) {
      linkinfo.slaveKind = li.slaveKind;
      linkinfo.slaveData = li.slaveData ? slaveFields(li.slaveKind, li.slaveData, lookup) : undefined;
    }
  }
  const tail: Field[] = [
    ...str('inet6_addr_gen_mode', addrGenMode(link), 'addrgenmode'),
    ...num('num_tx_queues', rawU32(link, IFLA.NUM_TX_QUEUES), 'numtxqueues'),
    ...num('num_rx_queues', rawU32(link, IFLA.NUM_RX_QUEUES), 'numrxqueues'),
    ...num('gso_max_size', rawU32(link, IFLA.GSO_MAX_SIZE)), ...num('gso_max_segs', rawU32(link, IFLA.GSO_MAX_SEGS)),
    ...num('tso_max_size', rawU32(link, IFLA.TSO_MAX_SIZE)), ...num('tso_max_segs', rawU32(link, IFLA.TSO_MAX_SEGS)),
    ...num('gro_max_size', rawU32(link, IFLA.GRO_MAX_SIZE)),
    ...str('phys_port_name', rawString(link, IFLA.PHYS_PORT_NAME), 'portname'),
    ...str('parentbus', rawString(link, IFLA.PARENT_DEV_BUS_NAME)), ...str('parentdev', rawString(link, IFLA.PARENT_DEV_NAME)),
  ];
  return { head, linkinfo, tail };
}

/**
 * The other links `ip -d` names for this one: a bond's active port and primary, a bridge port's
 * backup port, a VXLAN's underlay device. Whoever shows one link must look these up too.
 */
export function linksNamedByDetails(link: Link): number[] {
  const data = link.linkinfo?.data as (BondData & VxlanData) | undefined;
  const slave = link.linkinfo?.slaveData as BridgeSlaveData | undefined;
  const kind = link.linkinfo?.kind;
  const refs = kind === 'bond' ? [data?.activeSlave, data?.primary] : kind === 'vxlan' ? [data?.link] : [];
  if (link.linkinfo?.slaveKind === 'bridge') refs.push(slave?.backupPort);
  return refs.filter((i): i is number => i !== undefined && i > 0);
}

/** The -j keys `ip -d` adds, in its order (after the link-layer keys, before ifalias). */
export function linkDetailsToJson(link: Link, lookup: LinkLookup): Record<string, unknown> {
  const d = details(link, lookup);
  const j = fieldsToJson(d.head);
  if (d.linkinfo) {
    const li: Record<string, unknown> = {};
    if (d.linkinfo.kind !== undefined) {
      li.info_kind = d.linkinfo.kind;
      if (d.linkinfo.data) li.info_data = fieldsToJson(d.linkinfo.data);
    }
    if (d.linkinfo.slaveKind !== undefined) {
      li.info_slave_kind = d.linkinfo.slaveKind;
      if (d.linkinfo.slaveData) li.info_slave_data = fieldsToJson(d.linkinfo.slaveData);
    }
    j.linkinfo = li;
  }
  Object.assign(j, fieldsToJson(d.tail));
  return j;
}

/**
 * The text `ip -d` appends to the link-layer line: it may hold line breaks (the kind and the
 * port kind start lines of their own, as ip prints them).
 */
export function linkDetailsText(link: Link, lookup: LinkLookup): string {
  const d = details(link, lookup);
  let s = fieldsToText(d.head);
  if (d.linkinfo?.kind !== undefined) s += `\n    ${d.linkinfo.kind} ${fieldsToText(d.linkinfo.data ?? [])}`;
  if (d.linkinfo?.slaveKind !== undefined) s += `\n    ${d.linkinfo.slaveKind}_slave ${fieldsToText(d.linkinfo.slaveData ?? [])}`;
  return s + fieldsToText(d.tail);
}
