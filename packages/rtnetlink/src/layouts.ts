// The fixed family headers and C structs carried in rtnetlink messages, declared once with
// buffer-layout. Offsets and sizes come from the uapi headers; tests check the spans.
import BufferLayout, { Layout } from 'buffer-layout';

const { struct, u8, u16, u32, s32, u16be } = BufferLayout;

/** A little-endian u64 as a bigint (buffer-layout's nu64 rounds above 2^53; counters must not). */
class U64 extends Layout<bigint> {
  constructor(property?: string) {
    super(8, property);
  }
  override decode(b: Buffer, offset = 0): bigint {
    return b.readBigUInt64LE(offset);
  }
  override encode(src: bigint, b: Buffer, offset = 0): number {
    b.writeBigUInt64LE(BigInt.asUintN(64, src), offset);
    return 8;
  }
}
const u64 = (property: string): Layout<bigint> => new U64(property);

// Padding and reserved fields are named pad*/res*: decoders check that they are zero, and the
// JSON form of `nl decode` shows them only when they are not.

export interface IfInfoMsg { family: number; pad?: number; type: number; index: number; flags: number; change: number }
/** struct ifinfomsg (16 bytes; one pad byte after ifi_family). */
export const ifinfomsg = struct<IfInfoMsg>([u8('family'), u8('pad'), u16('type'), s32('index'), u32('flags'), u32('change')]);

export interface IfAddrMsg { family: number; prefixlen: number; flags: number; scope: number; index: number }
/** struct ifaddrmsg (8 bytes). */
export const ifaddrmsg = struct<IfAddrMsg>([u8('family'), u8('prefixlen'), u8('flags'), u8('scope'), u32('index')]);

export interface RtMsg {
  family: number; dstLen: number; srcLen: number; tos: number; table: number;
  protocol: number; scope: number; type: number; flags: number;
}
/** struct rtmsg (12 bytes). */
export const rtmsg = struct<RtMsg>([
  u8('family'), u8('dstLen'), u8('srcLen'), u8('tos'), u8('table'), u8('protocol'), u8('scope'), u8('type'), u32('flags'),
]);

export interface FibRuleHdr {
  family: number; dstLen: number; srcLen: number; tos: number; table: number; res1?: number; res2?: number; action: number; flags: number;
}
/** struct fib_rule_hdr (12 bytes; two reserved bytes before action). */
export const fibRuleHdr = struct<FibRuleHdr>([
  u8('family'), u8('dstLen'), u8('srcLen'), u8('tos'), u8('table'), u8('res1'), u8('res2'), u8('action'), u32('flags'),
]);

export interface NdMsg { family: number; pad1?: number; pad2?: number; ifindex: number; state: number; flags: number; type: number }
/** struct ndmsg (12 bytes). */
export const ndmsg = struct<NdMsg>([u8('family'), u8('pad1'), u16('pad2'), s32('ifindex'), u16('state'), u8('flags'), u8('type')]);

export interface RtNextHop { len: number; flags: number; hops: number; ifindex: number }
/** struct rtnexthop (8 bytes), the head of each RTA_MULTIPATH entry. */
export const rtnexthop = struct<RtNextHop>([u16('len'), u8('flags'), u8('hops'), s32('ifindex')]);

export interface IfaCacheInfo { preferred: number; valid: number; created: number; updated: number }
/** struct ifa_cacheinfo: lifetimes in seconds, timestamps in hundredths of a second. */
export const ifaCacheinfo = struct<IfaCacheInfo>([u32('preferred'), u32('valid'), u32('created'), u32('updated')]);

export interface RtaCacheInfo {
  clntref: number; lastuse: number; expires: number; error: number; used: number; id: number; ts: number; tsage: number;
}
/** struct rta_cacheinfo (32 bytes). */
export const rtaCacheinfo = struct<RtaCacheInfo>([
  u32('clntref'), u32('lastuse'), s32('expires'), u32('error'), u32('used'), u32('id'), u32('ts'), u32('tsage'),
]);

export interface NdaCacheInfo { confirmed: number; used: number; updated: number; refcnt: number }
/** struct nda_cacheinfo: ages in clock ticks. */
export const ndaCacheinfo = struct<NdaCacheInfo>([u32('confirmed'), u32('used'), u32('updated'), u32('refcnt')]);

export interface RtVia { family: number; address: Buffer }

/** struct fib_rule_uid_range and fib_rule_port_range. */
export interface UidRange { start: number; end: number }
export const fibRuleUidRange = struct<UidRange>([u32('start'), u32('end')]);
export interface PortRange { start: number; end: number }
export const fibRulePortRange = struct<PortRange>([u16('start'), u16('end')]);

/** VXLAN's IFLA_VXLAN_PORT_RANGE is two big-endian u16s. */
export const vxlanPortRange = struct<PortRange>([u16be('start'), u16be('end')]);

export const LINK_STATS64_FIELDS = [
  'rxPackets', 'txPackets', 'rxBytes', 'txBytes', 'rxErrors', 'txErrors', 'rxDropped', 'txDropped',
  'multicast', 'collisions', 'rxLengthErrors', 'rxOverErrors', 'rxCrcErrors', 'rxFrameErrors',
  'rxFifoErrors', 'rxMissedErrors', 'txAbortedErrors', 'txCarrierErrors', 'txFifoErrors',
  'txHeartbeatErrors', 'txWindowErrors', 'rxCompressed', 'txCompressed', 'rxNohandler', 'rxOtherhostDropped',
] as const;
export type LinkStats64 = { [K in (typeof LINK_STATS64_FIELDS)[number]]: bigint };
export type LinkStats32 = { [K in (typeof LINK_STATS64_FIELDS)[number]]: number };

/**
 * struct rtnl_link_stats64: 25 u64 counters on current kernels (older ones send 23 or 24;
 * the decoder reads as many whole counters as the attribute holds).
 */
export const rtnlLinkStats64 = struct<LinkStats64>(LINK_STATS64_FIELDS.map((f) => u64(f)));
/** struct rtnl_link_stats: the same counters as u32. */
export const rtnlLinkStats = struct<LinkStats32>(LINK_STATS64_FIELDS.map((f) => u32(f)));
