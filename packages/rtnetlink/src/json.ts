// A generic JSON form of any NETLINK_ROUTE message (`nl decode`, -j of raw messages), derived from the
// message schemas (schema/): header fields from their layouts, attributes from their tables.
// messageFromJson(messageToJson(m)) gives m back byte for byte: a value is shown typed only when
// writing the typed form back gives the same bytes, otherwise as hex; a message that still would
// not come back identically (odd padding, non-zero reserved bytes) is shown as header + hex.
import {
  DecodeError, MessageBuilder, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_DONE, NLMSG_ERROR,
  NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, NLM_F_ACK_TLVS, NLM_F_CAPPED, align, errnoFromName,
  errnoName, flagNames, flagsFromNames, fromHex, readHeader, toHex, type FlagContext, type Message,
} from '@vrfctl/netlink';
import type { FixedLayout } from './fixed-layout.js';
import { EnumNames } from './names.js';
import { rtmKind, rtmNames } from './constants/messages.js';
import { addressBytes, addressText, canonicalString, familyNames, macBytes, macText } from './wire.js';
import { string, u32, type ScalarKind } from './schema/codecs.js';
import { attributeTable, type AttributeTable } from './schema/attributes.js';
import type { MessageSchema } from './schema/message.js';
import { LINK_SCHEMA } from './link.js';
import { ADDRESS_SCHEMA } from './address.js';
import { ROUTE_SCHEMA } from './route.js';
import { NEIGHBOUR_SCHEMA } from './neighbour.js';
import { RULE_SCHEMA } from './rule.js';
import { NEXTHOP_BUCKET_SCHEMA, NEXTHOP_SCHEMA, nexthopGroup } from './nexthop.js';

/** Plain JSON value of an attribute or header field. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One member of NHA_GROUP as `nl decode` shows it: the weight as `ip nexthop` counts it (1…). */
export interface JsonGroupMember { id: number; weight: number }

export interface JsonAttribute {
  type: string | number;
  /** Typed value; absent when the value is shown as hex. */
  value?: string | number | true | JsonAttribute[] | JsonGroupMember[];
  hex?: string;
  nested?: true;
  netByteOrder?: true;
}

export interface JsonMessage {
  header: { len: number; type: string | number; flags: string[]; seq: number; pid: number };
  [key: string]: JsonValue | JsonAttribute[] | undefined;
}

const SCHEMAS: ReadonlyArray<MessageSchema<any, any, any>> = [
  LINK_SCHEMA, ADDRESS_SCHEMA, ROUTE_SCHEMA, NEIGHBOUR_SCHEMA, RULE_SCHEMA, NEXTHOP_SCHEMA, NEXTHOP_BUCKET_SCHEMA,
];
const SCHEMA_BY_TYPE = new Map(SCHEMAS.flatMap((s) => s.types.map((t) => [t, s] as const)));

const EXTACK = attributeTable<{ unknown: [] }>({
  UNUSED: 0, MSG: NLMSGERR_ATTR_MSG, OFFS: NLMSGERR_ATTR_OFFS, COOKIE: NLMSGERR_ATTR_COOKIE, POLICY: NLMSGERR_ATTR_POLICY,
  MISS_TYPE: NLMSGERR_ATTR_MISS_TYPE, MISS_NEST: NLMSGERR_ATTR_MISS_NEST,
}, 'NLMSGERR_ATTR_', [
  { type: NLMSGERR_ATTR_MSG, codec: string },
  { type: NLMSGERR_ATTR_OFFS, codec: u32 },
  { type: NLMSGERR_ATTR_MISS_TYPE, codec: u32 },
  { type: NLMSGERR_ATTR_MISS_NEST, codec: u32 },
]);
/** An unknown nest marked NLA_F_NESTED is shown as attributes too (numeric types). */
const ANY_NEST = attributeTable<{ unknown: [] }>({}, '', []);

type Table = AttributeTable<any>;

/** The JSON form a table gives an attribute: a scalar kind, a nested table, or none (hex). */
function kindOf(attrs: Table | undefined, type: number, siblings: readonly JsonAttribute[]): ScalarKind | Table | undefined {
  const json = attrs?.row(type)?.codec.json;
  if (typeof json !== 'function') return json;
  return json((t) => siblings.find((a) => a.type === attrs!.names.name(t))?.value);
}

/** Family header fields for JSON: the layout's named fields, in snake_case as the C struct names them. */
interface HeaderField { name: string; property: string; at: number; size: number; signed: boolean }
function headerFields(layout: FixedLayout<unknown>): HeaderField[] {
  return layout.fields.filter((f) => f.property !== undefined).map((f) => ({
    name: f.property!.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
    property: f.property!,
    at: layout.offsetOf(f.property!)!,
    size: f.span,
    signed: f.constructor.name === 'Int',
  }));
}
const HEADER_FIELDS = new Map(SCHEMAS.map((s) => [s, headerFields(s.header)]));

const controlNames = new EnumNames([['NLMSG_NOOP', NLMSG_NOOP], ['NLMSG_ERROR', NLMSG_ERROR], ['NLMSG_DONE', NLMSG_DONE], ['NLMSG_OVERRUN', NLMSG_OVERRUN]]);

function typeName(type: number): string | number {
  return type < 16 ? controlNames.name(type) : rtmNames.name(type);
}
function typeValue(name: string | number): number {
  if (typeof name === 'number') return name;
  return name.startsWith('NLMSG_') ? controlNames.value(name) : rtmNames.value(name);
}
function flagContext(type: number): FlagContext {
  if (type === NLMSG_ERROR || type === NLMSG_DONE) return 'ack';
  const k = rtmKind(type);
  return k === 'set' ? 'new' : k;
}

const MAX_DEPTH = 32;

/** Typed value of a scalar, or undefined when the bytes do not fit the kind exactly. */
function scalar(kind: ScalarKind, v: Buffer): string | number | true | JsonGroupMember[] | undefined {
  const n = v.length;
  switch (kind) {
    case 'nhgroup': return nexthopGroup.decode(v, 0, n, { base: 0, depth: 0, parent: {} });
    case 'u8': return n === 1 ? v[0] : undefined;
    case 'u16': return n === 2 ? v.readUInt16LE(0) : undefined;
    case 'u32': return n === 4 ? v.readUInt32LE(0) : undefined;
    case 's32': return n === 4 ? v.readInt32LE(0) : undefined;
    case 'u16be': return n === 2 ? v.readUInt16BE(0) : undefined;
    case 'u32be': return n === 4 ? v.readUInt32BE(0) : undefined;
    case 'u64': return n === 8 ? v.readBigUInt64LE(0).toString() : undefined;
    case 'u64be': return n === 8 ? v.readBigUInt64BE(0).toString() : undefined;
    case 'string': return canonicalString(v, 0, n);
    case 'ip': return addressText(v, 0, n);
    case 'mac': return macText(v, 0, n);
    case 'flag': return n === 0 ? true : undefined;
    default: return undefined;
  }
}

function scalarBytes(kind: ScalarKind, value: string | number | true | JsonGroupMember[]): Buffer {
  if (kind === 'nhgroup') {
    if (!Array.isArray(value)) throw new RangeError('a nexthop group is a list of {id, weight}');
    // struct nexthop_grp: id, weight − 1 (u16 across weight and weight_high), reserved zero.
    const b = Buffer.alloc(8 * value.length);
    value.forEach((m, i) => {
      b.writeUInt32LE(m.id, 8 * i);
      b.writeUInt16LE(m.weight - 1, 8 * i + 4);
    });
    return b;
  }
  if (Array.isArray(value)) throw new RangeError(`${kind} value must be a scalar`);
  const num = (): number => {
    if (typeof value !== 'number') throw new RangeError(`${kind} value must be a number`);
    return value;
  };
  switch (kind) {
    case 'u8': { const b = Buffer.alloc(1); b.writeUInt8(num()); return b; }
    case 'u16': { const b = Buffer.alloc(2); b.writeUInt16LE(num()); return b; }
    case 'u32': { const b = Buffer.alloc(4); b.writeUInt32LE(num()); return b; }
    case 's32': { const b = Buffer.alloc(4); b.writeInt32LE(num()); return b; }
    case 'u16be': { const b = Buffer.alloc(2); b.writeUInt16BE(num()); return b; }
    case 'u32be': { const b = Buffer.alloc(4); b.writeUInt32BE(num()); return b; }
    case 'u64': { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(String(value))); return b; }
    case 'u64be': { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(String(value))); return b; }
    case 'string': return Buffer.concat([Buffer.from(String(value)), Buffer.alloc(1)]);
    case 'ip': return Buffer.from(addressBytes(String(value)));
    case 'mac': return Buffer.from(macBytes(String(value)));
    case 'flag': return Buffer.alloc(0);
    default: throw new RangeError(`no typed form for ${kind}`);
  }
}

/** Attributes of buf[start, end) as JSON; lengths that do not fit are a DecodeError. */
function attributesToJson(buf: Buffer, start: number, end: number, attrs: Table | undefined, depth: number): JsonAttribute[] {
  if (depth > MAX_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_DEPTH}`, start);
  const out: JsonAttribute[] = [];
  let off = start;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, off);
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN || off + len > end) throw new DecodeError(`attribute length ${len} does not fit its container`, off);
    const type = raw & NLA_TYPE_MASK;
    const v = buf.subarray(off + NLA_HDRLEN, off + len);
    const a: JsonAttribute = { type: attrs ? attrs.names.name(type) : type };
    if (raw & NLA_F_NESTED) a.nested = true;
    if (raw & NLA_F_NET_BYTEORDER) a.netByteOrder = true;
    let kind = kindOf(attrs, type, out);
    if (kind === undefined && raw & NLA_F_NESTED) kind = ANY_NEST;
    let value: JsonAttribute['value'];
    if (typeof kind === 'string') value = scalar(kind, v);
    else if (kind !== undefined) {
      try {
        const inner = attributesToJson(buf, off + NLA_HDRLEN, off + len, kind, depth + 1);
        if (Buffer.compare(attributesFromJson(inner, kind), v) === 0) value = inner;
      } catch (e) {
        if (!(e instanceof DecodeError) || /nested deeper/.test(e.message)) throw e;
      }
    }
    if (value !== undefined) a.value = value;
    else a.hex = toHex(v);
    out.push(a);
    off += align(len);
  }
  return out;
}

function attributesFromJson(list: readonly JsonAttribute[], attrs: Table | undefined, depth = 0): Buffer {
  if (depth > MAX_DEPTH) throw new RangeError(`attributes nested deeper than ${MAX_DEPTH}`);
  if (!Array.isArray(list)) throw new RangeError('attributes must be a list');
  const parts: Buffer[] = [];
  const seen: JsonAttribute[] = [];
  for (const a of list) {
    const type = typeof a.type === 'number' ? a.type : (attrs ?? failSet(a.type)).names.value(a.type);
    let value: Buffer;
    if (a.hex !== undefined) value = fromHex(a.hex);
    else if (a.value === undefined) throw new RangeError(`attribute ${a.type} has neither value nor hex`);
    else {
      const kind = kindOf(attrs, type, seen);
      if (kind === 'nhgroup') value = scalarBytes(kind, a.value as JsonGroupMember[]);
      else if (Array.isArray(a.value)) value = attributesFromJson(a.value as JsonAttribute[], typeof kind === 'object' ? kind : undefined, depth + 1);
      else if (typeof kind === 'string') value = scalarBytes(kind, a.value);
      else throw new RangeError(`attribute ${a.type} has no typed form`);
    }
    if (NLA_HDRLEN + value.length > 0xffff) throw new RangeError(`attribute ${a.type}: ${value.length} bytes do not fit nla_len (at most ${0xffff - NLA_HDRLEN})`);
    const hdr = Buffer.alloc(NLA_HDRLEN);
    hdr.writeUInt16LE(NLA_HDRLEN + value.length, 0);
    hdr.writeUInt16LE(type | (a.nested ? NLA_F_NESTED : 0) | (a.netByteOrder ? NLA_F_NET_BYTEORDER : 0), 2);
    parts.push(hdr, value, Buffer.alloc(align(value.length) - value.length));
    seen.push(a);
  }
  return Buffer.concat(parts);
}

function failSet(name: string): never {
  throw new RangeError(`attribute type "${name}" needs a number here`);
}

function headerToJson(schema: MessageSchema<any, any, any>, p: Buffer): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  for (const f of HEADER_FIELDS.get(schema)!) {
    const v = f.size === 1 ? p[f.at] : f.size === 2 ? p.readUInt16LE(f.at) : f.signed ? p.readInt32LE(f.at) : p.readUInt32LE(f.at);
    if (/^(pad|res)/.test(f.name)) {
      if (v !== 0) o[f.name] = v;
    } else o[f.name] = f.name === 'family' ? familyNames.name(v) : v;
  }
  return o;
}

function headerFromJson(schema: MessageSchema<any, any, any>, o: Record<string, JsonValue>): Buffer {
  const b = Buffer.alloc(schema.headerLen);
  for (const f of HEADER_FIELDS.get(schema)!) {
    const raw = o[f.name] ?? 0;
    const v = f.name === 'family' ? familyNames.value(raw as string | number) : Number(raw);
    // A 4-byte field is written signed when negative, as decode shows a signed one.
    const [min, max] = f.size === 4 ? [-(2 ** 31), 2 ** 32 - 1] : [0, 2 ** (8 * f.size) - 1];
    if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${schema.name}.${f.name}: ${JSON.stringify(raw)} is not an integer in ${min}..${max}`);
    if (f.size === 1) b.writeUInt8(v, f.at);
    else if (f.size === 2) b.writeUInt16LE(v, f.at);
    else if (v < 0) b.writeInt32LE(v, f.at);
    else b.writeUInt32LE(v, f.at);
  }
  return b;
}

/**
 * Splits a send or receive buffer into messages, as the kernel's netlink_rcv_skb does: it stops at
 * a header whose nlmsg_len is below 16 (iproute2 sends dump requests from a larger zeroed struct)
 * and returns those bytes as trailing. A length that runs past the buffer is a DecodeError.
 */
export function splitMessages(buf: Buffer): { messages: Message[]; trailing: Buffer } {
  const messages: Message[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const header = readHeader(buf, off);
    if (header.length < NLMSG_HDRLEN) break;
    if (off + header.length > buf.length) throw new DecodeError(`nlmsg_len ${header.length} runs past the buffer`, off);
    messages.push({ header, payload: buf.subarray(off + NLMSG_HDRLEN, off + header.length), offset: off });
    off += align(header.length);
  }
  return { messages, trailing: buf.subarray(Math.min(off, buf.length)) };
}

/** Splits back-to-back messages; any bytes that are not whole messages are a DecodeError. */
export function parseBuffer(buf: Buffer): Message[] {
  const { messages, trailing } = splitMessages(buf);
  if (trailing.length > 0) throw new DecodeError(`${trailing.length} bytes after the last message`, buf.length - trailing.length);
  return messages;
}

function bodyToJson(msg: Message): Record<string, JsonValue | JsonAttribute[]> {
  const { header: h, payload: p } = msg;
  if (h.type === NLMSG_ERROR || h.type === NLMSG_DONE) {
    if (p.length < 4) return { payload: toHex(p) };
    const err = p.readInt32LE(0);
    const o: Record<string, JsonValue | JsonAttribute[]> = { error: err, errno: err < 0 ? errnoName(-err) : err === 0 ? 'OK' : err };
    let at = 4;
    if (h.type === NLMSG_ERROR) {
      if (p.length < 4 + NLMSG_HDRLEN) return { payload: toHex(p) };
      const rq = readHeader(p, 4);
      o.request = { len: rq.length, type: typeName(rq.type), flags: flagNames(rq.flags, flagContext(rq.type)), seq: rq.seq, pid: rq.pid };
      at += NLMSG_HDRLEN;
      if (!(h.flags & NLM_F_CAPPED)) {
        const n = Math.max(0, rq.length - NLMSG_HDRLEN);
        if (at + n > p.length) return { payload: toHex(p) };
        o.requestPayload = toHex(p.subarray(at, at + n));
        at += align(n);
      }
    }
    if (at < p.length) {
      if (h.flags & NLM_F_ACK_TLVS) o.extack = attributesToJson(p, Math.min(at, p.length), p.length, EXTACK, 0);
      else o.rest = toHex(p.subarray(at));
    }
    return o;
  }
  const schema = SCHEMA_BY_TYPE.get(h.type);
  if (!schema || p.length < schema.headerLen) return { payload: toHex(p) };
  return {
    [schema.name]: headerToJson(schema, p),
    attributes: attributesToJson(p, schema.headerLen, p.length, schema.attributes, 0),
  };
}

function bodyFromJson(type: number, flags: number, o: JsonMessage): Buffer {
  if (typeof o.payload === 'string') return fromHex(o.payload);
  if (type === NLMSG_ERROR || type === NLMSG_DONE) {
    const parts: Buffer[] = [];
    const e = Buffer.alloc(4);
    const errno = o.errno;
    e.writeInt32LE(typeof o.error === 'number' ? o.error : typeof errno === 'string' ? -(errnoFromName(errno) ?? 0) : 0);
    parts.push(e);
    if (type === NLMSG_ERROR) {
      const rq = o.request as { len: number; type: string | number; flags: string[]; seq: number; pid: number };
      const hb = Buffer.alloc(NLMSG_HDRLEN);
      const rt = typeValue(rq.type);
      hb.writeUInt32LE(rq.len >>> 0, 0);
      hb.writeUInt16LE(rt, 4);
      hb.writeUInt16LE(flagsFromNames(rq.flags, flagContext(rt)), 6);
      hb.writeUInt32LE(rq.seq >>> 0, 8);
      hb.writeUInt32LE(rq.pid >>> 0, 12);
      parts.push(hb);
      if (typeof o.requestPayload === 'string') {
        const rp = fromHex(o.requestPayload);
        parts.push(rp, Buffer.alloc(align(rp.length) - rp.length));
      }
    }
    if (Array.isArray(o.extack)) parts.push(attributesFromJson(o.extack as JsonAttribute[], EXTACK));
    if (typeof o.rest === 'string') parts.push(fromHex(o.rest));
    void flags;
    return Buffer.concat(parts);
  }
  const schema = SCHEMA_BY_TYPE.get(type);
  if (!schema) throw new RangeError(`no schema for message type ${type}; give payload as hex`);
  const fh = o[schema.name];
  if (fh === undefined || typeof fh !== 'object' || Array.isArray(fh) || fh === null) throw new RangeError(`missing ${schema.name}`);
  return Buffer.concat([headerFromJson(schema, fh as Record<string, JsonValue>), attributesFromJson((o.attributes ?? []) as JsonAttribute[], schema.attributes)]);
}

/**
 * One message (a Message, or a buffer holding exactly one) as plain JSON. A DecodeError for bytes
 * that are not a netlink message; everything else comes out, typed where exact, hex otherwise.
 */
export function messageToJson(input: Buffer | Uint8Array | Message): JsonMessage {
  let msg: Message;
  if ('header' in input && 'payload' in input) msg = input as Message;
  else {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const list = parseBuffer(buf);
    if (list.length !== 1) throw new DecodeError(`expected one message, found ${list.length}`, 0);
    msg = list[0];
  }
  const h = msg.header;
  const header = { len: h.length, type: typeName(h.type), flags: flagNames(h.flags, flagContext(h.type)), seq: h.seq, pid: h.pid };
  const original = Buffer.alloc(h.length);
  original.writeUInt32LE(h.length, 0);
  original.writeUInt16LE(h.type, 4);
  original.writeUInt16LE(h.flags, 6);
  original.writeUInt32LE(h.seq, 8);
  original.writeUInt32LE(h.pid, 12);
  msg.payload.copy(original, NLMSG_HDRLEN);
  let json: JsonMessage = { header, ...bodyToJson(msg) } as JsonMessage;
  // The guarantee: if the typed form would not give the same bytes back, show the payload as hex.
  let same = false;
  try {
    same = messageFromJson(json).equals(original);
  } catch {
    same = false;
  }
  if (!same) json = { header, payload: toHex(msg.payload) };
  return json;
}

/** The bytes of a message from its JSON form (nlmsg_len as given when it only drops trailing padding). */
export function messageFromJson(json: JsonMessage): Buffer {
  const type = typeValue(json.header.type);
  const flags = flagsFromNames(json.header.flags, flagContext(type));
  const body = bodyFromJson(type, flags, json);
  let len = NLMSG_HDRLEN + body.length;
  // A last attribute the sender did not pad: the length says so; trailing bytes beyond it are padding.
  if (json.header.len < len && len - json.header.len < 4 && body.subarray(json.header.len - NLMSG_HDRLEN).every((x) => x === 0)) len = json.header.len;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(json.header.len === len ? len : len, 0);
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(json.header.seq >>> 0, 8);
  out.writeUInt32LE(json.header.pid >>> 0, 12);
  body.copy(out, NLMSG_HDRLEN, 0, len - NLMSG_HDRLEN);
  return out;
}
