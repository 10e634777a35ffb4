// Table-driven attribute codecs for the message kinds whose attributes are plain values:
// each field names an attribute type, a model key and how its value is read and written.
import { DecodeError, MessageBuilder, NLA_HDRLEN, NLA_TYPE_MASK, align } from '@vrfctl/netlink';
import type { FixedLayout } from './fixed-layout.js';
import { EnumNames, FlagNames, type EnumValue } from './names.js';
import {
  CanonicalOrder, OrderCheck, addressBytes, addressText, canonicalString, macBytes, macText, rawAttribute, wireOrder,
  writeAttributes, type RawAttribute,
} from './wire.js';

/** Reads a value (undefined: keep the attribute raw) and writes it back. */
export interface ValueCodec<T> {
  decode(buf: Buffer, start: number, end: number): T | undefined;
  encode(b: MessageBuilder, rawType: number, value: T): void;
}

function fixed<T>(size: number, read: (buf: Buffer, at: number) => T, write: (b: MessageBuilder, t: number, v: T) => void): ValueCodec<T> {
  return {
    decode: (buf, s, e) => (e - s === size ? read(buf, s) : undefined),
    encode: write,
  };
}

export const u8 = fixed<number>(1, (b, a) => b[a], (b, t, v) => b.u8(t, v));
export const u16 = fixed<number>(2, (b, a) => b.readUInt16LE(a), (b, t, v) => b.u16(t, v));
export const u32 = fixed<number>(4, (b, a) => b.readUInt32LE(a), (b, t, v) => b.u32(t, v));
export const s32 = fixed<number>(4, (b, a) => b.readInt32LE(a), (b, t, v) => b.s32(t, v));
export const u16be = fixed<number>(2, (b, a) => b.readUInt16BE(a), (b, t, v) => b.u16be(t, v));
export const u32be = fixed<number>(4, (b, a) => b.readUInt32BE(a), (b, t, v) => b.u32be(t, v));
export const u64 = fixed<bigint>(8, (b, a) => b.readBigUInt64LE(a), (b, t, v) => b.u64(t, v));
export const u64be = fixed<bigint>(8, (b, a) => b.readBigUInt64BE(a), (b, t, v) => {
  const x = Buffer.alloc(8);
  x.writeBigUInt64BE(BigInt.asUintN(64, v));
  b.binary(t, x);
});
export const flag: ValueCodec<true> = { decode: (_b, s, e) => (e === s ? true : undefined), encode: (b, t) => b.flag(t) };
export const ip: ValueCodec<string> = { decode: addressText, encode: (b, t, v) => b.binary(t, addressBytes(v)) };
export const mac: ValueCodec<string> = { decode: macText, encode: (b, t, v) => b.binary(t, macBytes(v)) };
export const string: ValueCodec<string> = { decode: canonicalString, encode: (b, t, v) => b.string(t, v) };

export function enumOf(width: ValueCodec<number>, names: EnumNames): ValueCodec<EnumValue> {
  return {
    decode: (buf, s, e) => {
      const n = width.decode(buf, s, e);
      return n === undefined ? undefined : names.name(n);
    },
    encode: (b, t, v) => width.encode(b, t, names.value(v)),
  };
}

export function flagsOf(width: ValueCodec<number>, names: FlagNames): ValueCodec<string[]> {
  return {
    decode: (buf, s, e) => {
      const n = width.decode(buf, s, e);
      return n === undefined ? undefined : names.names(n);
    },
    encode: (b, t, v) => width.encode(b, t, names.value(v)),
  };
}

export function struct<T>(layout: FixedLayout<T>): ValueCodec<T> {
  return {
    decode: (buf, s, e) => (e - s === layout.span ? layout.decode(buf, s) : undefined),
    encode: (b, t, v) => {
      const x = Buffer.alloc(layout.span);
      layout.encode(v, x, 0);
      b.binary(t, x);
    },
  };
}

export interface Field {
  type: number;
  key: string;
  codec: ValueCodec<never>;
}

/** The attributes of one message kind, in the order the kernel writes them. */
export class FieldTable {
  readonly order: CanonicalOrder;
  private readonly byType = new Map<number, Field>();
  constructor(fields: ReadonlyArray<{ type: number; key: string; codec: ValueCodec<any> }>, rawTypes?: readonly number[]) {
    for (const f of fields) this.byType.set(f.type, f as Field);
    this.order = new CanonicalOrder(rawTypes ?? fields.map((f) => f.type));
  }
  field(type: number): Field | undefined {
    return this.byType.get(type);
  }
}

/** Generic model shape the table-driven codecs fill in. */
export interface AttributeModel {
  unknown: RawAttribute[];
  order?: number[];
}

/**
 * Decodes buf[start, end) into model by the table. Lengths that do not fit are a DecodeError;
 * a value that would not write back identically (odd length, no NUL…) stays raw in unknown.
 * extra handles attributes that need more than a value codec (nests); it returns false to keep one raw.
 */
export function decodeFields(
  buf: Buffer,
  start: number,
  end: number,
  table: FieldTable,
  model: AttributeModel,
  extra?: (type: number, vs: number, ve: number, rawType: number) => boolean,
  base = 0,
): void {
  const check = new OrderCheck(table.order);
  const target = model as unknown as Record<string, unknown>;
  let off = start;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, base + off);
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN) throw new DecodeError(`attribute length ${len} below header size`, base + off);
    if (off + len > end) throw new DecodeError(`attribute type ${raw & NLA_TYPE_MASK} length ${len} runs past its container`, base + off);
    const vs = off + NLA_HDRLEN;
    const ve = off + len;
    off += align(len);
    const type = raw & NLA_TYPE_MASK;
    const f = table.field(type);
    let known = false;
    // Once a type went raw, later ones of that type stay raw too, so that order replays exactly.
    if (f && target[f.key] === undefined && !model.unknown.some((a) => a.type === type)) {
      if (extra && extra(type, vs, ve, raw)) known = true;
      else if (f.codec) {
        const v = (f.codec as ValueCodec<unknown>).decode(buf, vs, ve);
        if (v !== undefined) {
          target[f.key] = v;
          known = true;
        }
      }
    }
    if (known) check.known(raw);
    else {
      check.unknown();
      model.unknown.push(rawAttribute(buf, vs, ve, raw));
    }
  }
  if (!check.canonical) model.order = wireOrder(buf, start, end);
}

/** Writes the model's attributes; extra writes the ones decodeFields' extra read. */
export function encodeFields(
  b: MessageBuilder,
  table: FieldTable,
  model: AttributeModel,
  extra?: (type: number, rawType: number) => boolean | undefined,
): void {
  const source = model as unknown as Record<string, unknown>;
  writeAttributes(b, table.order, model.order, model.unknown, (raw) => {
    const type = raw & NLA_TYPE_MASK;
    const handled = extra?.(type, raw);
    if (handled !== undefined) return handled;
    const f = table.field(type);
    if (!f) return false;
    const v = source[f.key];
    if (v === undefined) return false;
    (f.codec as ValueCodec<unknown>).encode(b, raw, v);
    return true;
  });
}
