// One declaration per message kind: the family header (a buffer-layout struct, whose span is the
// header length: no length constants elsewhere) and the attribute table, plus the few rules that
// join header fields and attributes (prefix lengths, where a table id travels). decodeMessage,
// encodeMessage and the JSON form of `nl decode` are derived from it.
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import type { Structure } from 'buffer-layout';
import { MAX_NEST_DEPTH, decodeAttributes, encodeAttributes, type AttributeModel, type AttributeTable } from './attributes.js';
import type { Codec } from './codecs.js';

export interface MessageSchema<M extends AttributeModel, H, A extends AttributeModel = M> {
  /** The C struct's name, the key of the header in JSON ('ifinfomsg'). */
  readonly name: string;
  /** The family header; fields named pad… or res… must be zero. */
  readonly header: Structure<H>;
  /** Its length in bytes (the layout's span). */
  readonly headerLen: number;
  /** The attributes; A is the model plus the attributes that only the hooks below read. */
  readonly attributes: AttributeTable<A>;
  /** The RTM_* types that carry this header. */
  readonly types: readonly number[];
  /** AF_INET6 messages use the tables' rank6 order. */
  inet6(h: H): boolean;
  /** The model's header part. */
  fromHeader(h: H): A;
  /** After the attributes: join header fields and attributes; DecodeError when they contradict. */
  finish?(m: A, h: H, at: number): M;
  /** The header and the attribute view of a model. */
  toWire(m: M): { header: H; attributes: A };
}

export type MessageSpec<M extends AttributeModel, H, A extends AttributeModel> = Omit<MessageSchema<M, H, A>, 'headerLen'>;

export function messageSchema<M extends AttributeModel, H, A extends AttributeModel = M>(spec: MessageSpec<M, H, A>): MessageSchema<M, H, A> {
  return { ...spec, headerLen: spec.header.span };
}

/** The names of the header fields that must be zero, with their offsets. */
export function paddingOf(header: Structure<unknown>): Array<[string, number]> {
  return header.fields
    .filter((f) => f.property !== undefined && /^(pad|res)/.test(f.property))
    .map((f) => [f.property!, header.offsetOf(f.property!)!]);
}

/** Decodes the family header and attributes of payload[start, end). base: offset of payload[0] in the received bytes. */
export function decodeMessageAt<M extends AttributeModel, H, A extends AttributeModel>(
  schema: MessageSchema<M, H, A>, buf: Buffer, start: number, end: number, base: number, depth = 0,
): M {
  if (end - start < schema.headerLen) throw new DecodeError(`${schema.name} needs ${schema.headerLen} bytes, has ${end - start}`, base + start);
  const h = schema.header.decode(buf, start);
  for (const [name, at] of paddingOf(schema.header)) {
    if ((h as Record<string, unknown>)[name] !== 0) throw new DecodeError(`${schema.name} ${name} is not zero`, base + start + at);
  }
  const m = schema.fromHeader(h);
  decodeAttributes(buf, start + schema.headerLen, end, schema.attributes, m, { base, depth }, schema.inet6(h));
  return schema.finish ? schema.finish(m, h, base + start) : (m as unknown as M);
}

export function decodeMessage<M extends AttributeModel, H, A extends AttributeModel>(schema: MessageSchema<M, H, A>, msg: Message): M {
  return decodeMessageAt(schema, msg.payload, 0, msg.payload.length, msg.offset + 16);
}

/** Writes the family header and the attributes of m after the caller's b.begin(). */
export function encodeMessage<M extends AttributeModel, H, A extends AttributeModel>(schema: MessageSchema<M, H, A>, b: MessageBuilder, m: M): void {
  const { header, attributes } = schema.toWire(m);
  const at = b.reserve(schema.headerLen);
  schema.header.encode(header, b.raw, at);
  encodeAttributes(b, schema.attributes, attributes, schema.inet6(header));
}

/** A whole message (family header and attributes) carried in an attribute: veth's peer link. */
export function messageCodec<M extends AttributeModel, H, A extends AttributeModel>(schema: () => MessageSchema<M, H, A>): Codec<M> {
  return {
    flagBits: 0,
    decode: (buf, s, e, ctx) => {
      if (ctx.depth >= MAX_NEST_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_NEST_DEPTH}`, ctx.base + s);
      return decodeMessageAt(schema(), buf, s, e, ctx.base, ctx.depth + 1);
    },
    encode: (b, raw, v) => {
      const at = b.nest(raw, true);
      encodeMessage(schema(), b, v);
      b.endNest(at);
    },
  };
}
