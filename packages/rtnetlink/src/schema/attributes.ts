// A typed table of one message kind's attributes: for each attribute number, the model key it
// fills (checked against the model with keyof), its value codec, and its rank in the order the
// kernel and iproute2 write them. Decode, encode, the JSON form and the canonical order all come
// from the table; attributes a table does not type stay raw in `unknown` and are written back.
import { DecodeError, MessageBuilder, NLA_HDRLEN, NLA_TYPE_MASK, align } from '@vrfctl/netlink';
import { EnumNames } from '../names.js';
import { CanonicalOrder, OrderCheck, rawAttribute, wireOrder, writeAttributes, type RawAttribute } from '../wire.js';
import type { Codec, DecodeContext, JsonNest } from './codecs.js';

/**
 * What a decoded model keeps only to be written back identically (a non-canonical attribute
 * order, where an id that has both a header field and an attribute travelled…). It is not part
 * of the public model: it hides behind this symbol, and JSON.stringify never shows it.
 */
export const WIRE: unique symbol = Symbol('vrfctl.wire');

export interface WireView {
  /** Attribute raw types in wire order, only when they differ from the canonical order. */
  order?: number[];
  [detail: string]: unknown;
}

/** The part every model filled by a table has. */
export interface AttributeModel {
  /** Attributes the model does not interpret, byte for byte, in wire order. */
  unknown: RawAttribute[];
  [WIRE]?: WireView;
}

/** The wire view of a model, created on first use. */
export function wireOf(m: AttributeModel): WireView {
  return (m[WIRE] ??= {});
}

/** A copy of a model without its wire view: it encodes in canonical order. */
export function withoutWire<M extends AttributeModel>(m: M): M {
  const copy = { ...m };
  delete copy[WIRE];
  return copy;
}

type Keyed<M> = {
  [K in keyof M & string]-?: {
    type: number;
    key: K;
    codec: Codec<NonNullable<M[K]>>;
    /** Position in the kernel's (and iproute2's) order; the row's index when left out. */
    rank?: number;
    /** Position for AF_INET6 messages when their order differs (addresses, routes). */
    rank6?: number;
  };
}[keyof M & string];

/** A row: an attribute the model holds, or one only `nl decode` shows typed (no key). */
export type AttributeRow<M> =
  | Keyed<M>
  | { type: number; key?: undefined; codec: Codec<any>; rank?: number; rank6?: number };

export interface AttributeTable<M> {
  /** Attribute names for JSON ('IFLA_MTU'). */
  readonly names: EnumNames;
  readonly rows: readonly AttributeRow<M>[];
  /** The row of an attribute number (flag bits masked off). */
  row(type: number): AttributeRow<M> | undefined;
  /** Canonical order of the typed rows (for AF_INET6 messages when inet6). */
  order(inet6?: boolean): CanonicalOrder;
}

/**
 * Declares a table. constants and prefix name the attributes ({ MTU: 4 } and 'IFLA_' give
 * IFLA_MTU); rows list what the model holds.
 */
export function attributeTable<M>(
  constants: Readonly<Record<string, number>>,
  prefix: string,
  rows: readonly AttributeRow<M>[],
): AttributeTable<M> {
  const byType = new Map<number, AttributeRow<M>>();
  for (const r of rows) {
    if (byType.has(r.type)) throw new Error(`${prefix}: attribute ${r.type} declared twice`);
    byType.set(r.type, r);
  }
  const ranked = (six: boolean): CanonicalOrder => {
    const typed = rows.map((r, i) => ({ r, rank: six ? (r.rank6 ?? r.rank ?? i) : (r.rank ?? i) })).filter((x) => x.r.key !== undefined);
    typed.sort((a, b) => a.rank - b.rank);
    return new CanonicalOrder(typed.map((x) => x.r.type | (x.r.codec.flagBits ?? 0)));
  };
  // The orders are made when first asked for: most of the ~80 tables are never used by a command.
  let order4: CanonicalOrder | undefined;
  let order6: CanonicalOrder | undefined;
  const names = EnumNames.fromObject(constants, prefix);
  return {
    names,
    rows,
    row: (type) => byType.get(type),
    order: (inet6) => {
      order4 ??= ranked(false);
      return inet6 ? (order6 ??= rows.some((r) => r.rank6 !== undefined) ? ranked(true) : order4) : order4;
    },
  };
}

/** Deeper nests than this are a DecodeError (veth peers nest links in links). */
export const MAX_NEST_DEPTH = 8;

/**
 * Decodes the attributes in buf[start, end) into model. Lengths that do not fit are a
 * DecodeError; a value its codec will not take (odd length, no NUL, flag bits it would not
 * write…) stays raw in unknown, and so do later attributes of that type and duplicates.
 */
export function decodeAttributes<M extends AttributeModel>(
  buf: Buffer,
  start: number,
  end: number,
  table: AttributeTable<M>,
  model: M,
  ctx: Omit<DecodeContext, 'parent'>,
  inet6 = false,
): void {
  const canonical = table.order(inet6);
  const check = new OrderCheck(canonical);
  const target = model as unknown as Record<string, unknown>;
  const inner: DecodeContext = { base: ctx.base, depth: ctx.depth, parent: model };
  let off = start;
  // The raw type of the previous attribute when it was decoded typed (a run of a repeated row goes on).
  let lastKnown = -1;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, ctx.base + off);
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN) throw new DecodeError(`attribute length ${len} below header size`, ctx.base + off);
    if (off + len > end) throw new DecodeError(`attribute type ${raw & NLA_TYPE_MASK} length ${len} runs past its container`, ctx.base + off);
    const vs = off + NLA_HDRLEN;
    const ve = off + len;
    off += align(len);
    const type = raw & NLA_TYPE_MASK;
    const row = table.row(type);
    let known = false;
    if (row?.key !== undefined && row.codec.repeated && raw === lastKnown && Array.isArray(target[row.key])) {
      // The next item of a run: appended, and the run counts as one attribute for the order.
      const v = row.codec.decode(buf, vs, ve, inner) as unknown[] | undefined;
      if (v !== undefined) {
        (target[row.key] as unknown[]).push(...v);
        continue;
      }
    }
    if (
      row?.key !== undefined && target[row.key] === undefined &&
      (row.codec.flagBits === undefined || raw === (type | row.codec.flagBits)) &&
      // Once a type went raw, later ones of that type stay raw too, so that order replays exactly.
      !model.unknown.some((a) => a.type === type)
    ) {
      const v = row.codec.decode(buf, vs, ve, inner);
      if (v !== undefined) {
        target[row.key] = v;
        known = true;
      }
    }
    if (known) check.known(raw);
    else {
      check.unknown();
      model.unknown.push(rawAttribute(buf, vs, ve, raw));
    }
    lastKnown = known ? raw : -1;
  }
  if (!check.canonical) wireOf(model).order = wireOrder(buf, start, end);
}

/** Writes model's attributes: in its recorded wire order if any, else canonical order, then unknown ones. */
export function encodeAttributes<M extends AttributeModel>(b: MessageBuilder, table: AttributeTable<M>, model: M, inet6 = false): void {
  const source = model as unknown as Record<string, unknown>;
  writeAttributes(b, table.order(inet6), model[WIRE]?.order, model.unknown, (raw) => {
    const row = table.row(raw & NLA_TYPE_MASK);
    if (row?.key === undefined) return false;
    const v = source[row.key];
    if (v === undefined) return false;
    (row.codec as Codec<unknown>).encode(b, raw, v, model);
    return true;
  });
}

/** A nest decoded by its own table into a sub-model (flagged: written with NLA_F_NESTED). */
export function nested<S extends AttributeModel>(table: AttributeTable<S> | (() => AttributeTable<S>), flagged = false): Codec<S> {
  const get = typeof table === 'function' ? table : () => table;
  return {
    get json() {
      return get();
    },
    flagBits: flagged ? 0x8000 : 0,
    decode: (buf, s, e, ctx) => {
      if (ctx.depth >= MAX_NEST_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_NEST_DEPTH}`, ctx.base + s);
      const sub = { unknown: [] } as unknown as S;
      decodeAttributes(buf, s, e, get(), sub, { base: ctx.base, depth: ctx.depth + 1 });
      return sub;
    },
    encode: (b, raw, v) => {
      const at = b.nest(raw, true);
      encodeAttributes(b, get(), v);
      b.endNest(at);
    },
  };
}

/** A run of attributes of one type as a list (see Codec.repeated): IFLA_BRIDGE_VLAN_INFO entries. */
export function repeated<T>(item: Codec<T>): Codec<T[]> {
  return {
    json: item.json,
    flagBits: item.flagBits,
    repeated: true,
    decode: (buf, s, e, ctx) => {
      const v = item.decode(buf, s, e, ctx);
      return v === undefined ? undefined : [v];
    },
    encode: (b, raw, v, parent) => {
      for (const x of v) item.encode(b, raw, x, parent);
    },
  };
}

/**
 * A nest whose table depends on a sibling already decoded (IFLA_INFO_DATA by IFLA_INFO_KIND):
 * key names the sibling in the parent model, tables maps its values. Other values keep it raw.
 */
export function nestedBy<P, S extends AttributeModel>(
  key: keyof P & string,
  siblingType: number,
  tables: Readonly<Record<string, AttributeTable<any>>>,
): Codec<S> {
  const pick = (v: unknown): AttributeTable<S> | undefined => (typeof v === 'string' && Object.hasOwn(tables, v) ? tables[v] : undefined);
  const json: JsonNest = (sibling) => pick(sibling(siblingType));
  return {
    json,
    flagBits: 0,
    decode: (buf, s, e, ctx) => {
      const table = pick((ctx.parent as Record<string, unknown>)[key]);
      if (!table) return undefined;
      if (ctx.depth >= MAX_NEST_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_NEST_DEPTH}`, ctx.base + s);
      const sub = { unknown: [] } as unknown as S;
      decodeAttributes(buf, s, e, table, sub, { base: ctx.base, depth: ctx.depth + 1 });
      return sub;
    },
    encode: (b, raw, v, parent) => {
      const table = pick((parent as Record<string, unknown>)[key]);
      if (!table) throw new RangeError(`no attribute table for ${key} "${String((parent as Record<string, unknown>)[key])}"`);
      const at = b.nest(raw, true);
      encodeAttributes(b, table, v);
      b.endNest(at);
    },
  };
}

/**
 * A nest that is a list of one attribute type (IFLA_PROP_LIST of IFLA_ALT_IFNAME). Anything but
 * plain, in-order items would not write back identically and keeps the whole nest raw.
 */
export function listOf<T>(table: AttributeTable<any>, itemType: number, item: Codec<T>, flagged = true): Codec<T[]> {
  return {
    json: table,
    flagBits: flagged ? 0x8000 : 0,
    decode: (buf, s, e, ctx) => {
      const out: T[] = [];
      for (let off = s; off < e; ) {
        if (off + NLA_HDRLEN > e) throw new DecodeError(`truncated attribute header: ${e - off} of 4 bytes`, ctx.base + off);
        const len = buf.readUInt16LE(off);
        const raw = buf.readUInt16LE(off + 2);
        if (len < NLA_HDRLEN || off + len > e) throw new DecodeError(`attribute length ${len} does not fit its container`, ctx.base + off);
        const v = raw === itemType ? item.decode(buf, off + NLA_HDRLEN, off + len, ctx) : undefined;
        off += align(len);
        if (v === undefined || off > e) return undefined;
        out.push(v);
      }
      return out;
    },
    encode: (b, raw, v, parent) => {
      const at = b.nest(raw, true);
      for (const x of v) item.encode(b, itemType, x, parent);
      b.endNest(at);
    },
  };
}
