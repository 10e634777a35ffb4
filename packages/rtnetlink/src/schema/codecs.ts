// Value codecs: how one attribute's value is read into a model and written back. A codec says
// "not mine" (undefined) for bytes it could not write back identically; the attribute then stays
// raw in the model's unknown list, so that nothing is ever dropped.
import { MessageBuilder, NLA_F_NESTED } from '@vrfctl/netlink';
import type { FixedLayout } from '../fixed-layout.js';
import { EnumNames, FlagNames, type EnumValue } from '../names.js';
import { addressBytes, addressText, canonicalString, macBytes, macText } from '../wire.js';
import type { AttributeTable } from './attributes.js';

/** How `nl decode` shows a value typed (anything else is shown as hex). */
export type ScalarKind = 'u8' | 'u16' | 'u32' | 's32' | 'u16be' | 'u32be' | 'u64' | 'u64be' | 'string' | 'ip' | 'mac' | 'flag' | 'nhgroup';

/** What a codec may look at besides its bytes: the model being filled (siblings) and where it is. */
export interface DecodeContext {
  /** Offset of buf[0] in the received buffer, for DecodeError positions. */
  base: number;
  /** Nesting depth, bounded by the nested codecs. */
  depth: number;
  /** The model (or nested model) the attribute belongs to, as filled so far. */
  parent: object;
}

export interface Codec<T> {
  /** Reads buf[start, end); undefined keeps the attribute raw. */
  decode(buf: Buffer, start: number, end: number, ctx: DecodeContext): T | undefined;
  /** Writes the whole attribute (header included) with rawType. */
  encode(b: MessageBuilder, rawType: number, value: T, parent: object): void;
  /** The JSON form of `nl decode`: a scalar kind, a nested table, or none (hex). */
  readonly json?: ScalarKind | JsonNest;
  /**
   * Flag bits (NLA_F_NESTED) the attribute is written with. Nests are decoded only when the
   * received flag bits are exactly these, since writing them back would otherwise differ.
   */
  readonly flagBits?: number;
  /**
   * The model holds a list: each attribute of a run of this type is one item (decode returns a
   * one-item list), and encode writes them all back in a run (IFLA_BRIDGE_VLAN_INFO).
   */
  readonly repeated?: boolean;
}

/** A nested table for JSON, possibly chosen by a sibling (IFLA_INFO_DATA by IFLA_INFO_KIND). */
export type JsonNest = AttributeTable<any> | ((siblingValue: (type: number) => unknown) => AttributeTable<any> | undefined);

function fixed<T>(json: ScalarKind, size: number, read: (buf: Buffer, at: number) => T, write: (b: MessageBuilder, t: number, v: T) => void): Codec<T> {
  return { json, decode: (buf, s, e) => (e - s === size ? read(buf, s) : undefined), encode: write };
}

export const u8 = fixed<number>('u8', 1, (b, a) => b[a], (b, t, v) => b.u8(t, v));
export const u16 = fixed<number>('u16', 2, (b, a) => b.readUInt16LE(a), (b, t, v) => b.u16(t, v));
export const u32 = fixed<number>('u32', 4, (b, a) => b.readUInt32LE(a), (b, t, v) => b.u32(t, v));
export const s32 = fixed<number>('s32', 4, (b, a) => b.readInt32LE(a), (b, t, v) => b.s32(t, v));
export const u16be = fixed<number>('u16be', 2, (b, a) => b.readUInt16BE(a), (b, t, v) => b.u16be(t, v));
export const u32be = fixed<number>('u32be', 4, (b, a) => b.readUInt32BE(a), (b, t, v) => b.u32be(t, v));
export const u64 = fixed<bigint>('u64', 8, (b, a) => b.readBigUInt64LE(a), (b, t, v) => b.u64(t, v));
export const u64be = fixed<bigint>('u64be', 8, (b, a) => b.readBigUInt64BE(a), (b, t, v) => {
  const x = Buffer.alloc(8);
  x.writeBigUInt64BE(BigInt.asUintN(64, v));
  b.binary(t, x);
});
/** A u8 that is 0 or 1, as a boolean (FRA_L3MDEV); other values stay raw. */
export const bool8: Codec<boolean> = {
  json: 'u8',
  decode: (buf, s, e) => (e - s === 1 && buf[s] <= 1 ? buf[s] === 1 : undefined),
  encode: (b, t, v) => b.u8(t, v ? 1 : 0),
};
export const flag: Codec<true> = { json: 'flag', decode: (_b, s, e) => (e === s ? true : undefined), encode: (b, t) => b.flag(t) };
/** An IPv4 or IPv6 address as text. */
export const address: Codec<string> = { json: 'ip', decode: addressText, encode: (b, t, v) => b.binary(t, addressBytes(v)) };
/** A link-layer address as aa:bb:…. */
export const lladdr: Codec<string> = { json: 'mac', decode: macText, encode: (b, t, v) => b.binary(t, macBytes(v)) };
/** A NUL-terminated string. */
export const string: Codec<string> = { json: 'string', decode: canonicalString, encode: (b, t, v) => b.string(t, v) };
/** An interface name (a string; named apart so that a table says what it holds). */
export const ifname = string;
/** Bytes kept as they are (shown as hex). */
export const bytes: Codec<Uint8Array> = {
  decode: (buf, s, e) => new Uint8Array(buf.subarray(s, e)),
  encode: (b, t, v) => b.binary(t, v),
};

/** A number shown as something else (a name, a list of names); the JSON form stays the number. */
function shownAs<T>(width: Codec<number>, show: (n: number) => T, value: (v: T) => number): Codec<T> {
  return {
    json: width.json,
    decode: (buf, s, e, ctx) => {
      const n = width.decode(buf, s, e, ctx);
      return n === undefined ? undefined : show(n);
    },
    encode: (b, t, v, p) => width.encode(b, t, value(v), p),
  };
}

/** A number shown by name (EnumNames); the JSON form stays the number. */
export function enumOf(width: Codec<number>, names: EnumNames): Codec<EnumValue> {
  return shownAs(width, (n) => names.name(n), (v) => names.value(v));
}

/** A bit set shown as names (FlagNames). */
export function flagsOf(width: Codec<number>, names: FlagNames): Codec<string[]> {
  return shownAs(width, (n) => names.names(n), (v) => names.value(v));
}

/** A C struct (layouts.ts; shown as hex). */
export function struct<T>(layout: FixedLayout<T>): Codec<T> {
  return {
    decode: (buf, s, e) => (e - s === layout.span ? layout.decode(buf, s) : undefined),
    encode: (b, t, v) => {
      const x = Buffer.alloc(layout.span);
      layout.encode(v, x, 0);
      b.binary(t, x);
    },
  };
}

/** The NLA_F_NESTED bit as a codec's flagBits. */
export const NESTED = NLA_F_NESTED;
