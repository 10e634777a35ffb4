// `ip route show` output written straight from a dumped RTM_NEWROUTE's bytes, for the routes
// large tables are made of (a destination, a gateway and/or device, a table, protocol, scope,
// preferred source, metric, flags, IPv6 pref and cacheinfo). Decoding 100k such routes into
// Route objects and printing them through print.ts's walk was most of `vrfctl -j route show`'s
// CPU. Anything else (and anything malformed) is left to the general path, which this must match
// byte for byte: test/print-wire.test.ts compares the two on generated and captured routes.
import { AF_INET, AF_INET6, NLA_HDRLEN, readU16LE, readU32LE, type Message } from '@vrfctl/netlink';
import { RTA, RTM, RTMSG_LEN, RTN, RT_TABLE, addressText } from '@vrfctl/rtnetlink';
import { ByteOutput } from './byte-output.js';
import { RT_FLAGS, type PrintOptions } from './print.js';
import { rtmsgSelected, type ResolvedFilter } from './select.js';
import { protocolNames, scopeNames, tableNames } from '@vrfctl/iproute2';
import { routeTypeText } from './values.js';

const RTA_CACHEINFO_LEN = 32;
const RTPROT_BOOT = 3;

/**
 * What became of one message: printed; skipped (not a route the selector wants, nothing
 * written); other (not handled here, nothing written: take the general path).
 */
export type WireRoute = 'printed' | 'skipped' | 'other';

const ascii = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/** One route's fields, as offsets into the payload (-1: absent); reused from message to message. */
class Fields {
  table = -1;
  dst = -1;
  dstEnd = -1;
  oif = -1;
  gateway = -1;
  gatewayEnd = -1;
  prefsrc = -1;
  prefsrcEnd = -1;
  priority = -1;
  /** RTA_NH_ID: the nexthop object the route uses (FRR installs routes this way). */
  nhid = -1;
  pref = -1;
  cacheinfo = -1;
}

/**
 * Reads the attributes; false when one is outside the handled set, repeated, or not of the size
 * the decoder needs (the general path then keeps, rejects or prints it as it does).
 */
function scan(b: Uint8Array, end: number, x: Fields): boolean {
  x.table = x.dst = x.oif = x.gateway = x.prefsrc = x.priority = x.nhid = x.pref = x.cacheinfo = -1;
  let off = RTMSG_LEN;
  while (off < end) {
    if (off + NLA_HDRLEN > end) return false;
    const len = readU16LE(b, off);
    const type = readU16LE(b, off + 2);
    const vs = off + NLA_HDRLEN;
    const ve = off + len;
    if (len < NLA_HDRLEN || ve > end) return false;
    const size = ve - vs;
    switch (type) {
      case RTA.TABLE:
        if (x.table !== -1 || size !== 4) return false;
        x.table = readU32LE(b, vs);
        break;
      case RTA.DST:
        if (x.dst !== -1 || (size !== 4 && size !== 16)) return false;
        x.dst = vs;
        x.dstEnd = ve;
        break;
      case RTA.OIF:
        if (x.oif !== -1 || size !== 4) return false;
        x.oif = readU32LE(b, vs);
        break;
      case RTA.GATEWAY:
        if (x.gateway !== -1 || (size !== 4 && size !== 16)) return false;
        x.gateway = vs;
        x.gatewayEnd = ve;
        break;
      case RTA.PREFSRC:
        if (x.prefsrc !== -1 || (size !== 4 && size !== 16)) return false;
        x.prefsrc = vs;
        x.prefsrcEnd = ve;
        break;
      case RTA.PRIORITY:
        if (x.priority !== -1 || size !== 4) return false;
        x.priority = readU32LE(b, vs);
        break;
      case RTA.NH_ID:
        if (x.nhid !== -1 || size !== 4) return false;
        x.nhid = readU32LE(b, vs);
        break;
      case RTA.PREF:
        if (x.pref !== -1 || size !== 1) return false;
        x.pref = b[vs];
        break;
      case RTA.CACHEINFO:
        if (x.cacheinfo !== -1 || size !== RTA_CACHEINFO_LEN) return false;
        x.cacheinfo = vs;
        break;
      default:
        return false;
    }
    off += (len + 3) & ~3;
  }
  return true;
}

/** One output style: JSON members or ip's words. */
interface Style {
  json: boolean;
  /** `key value` as this style writes it; the value is a name or word (quoted and escaped in JSON). */
  member(key: string, word: string, value: string): string;
  /** The start of a route, through the destination's key. */
  head(typeName: string | undefined): string;
  /** A key whose value follows as an address or number: `,"gateway":` or `via `. */
  key(key: string, word: string): Uint8Array;
  /** After an address or number value. */
  after: Uint8Array;
  close: Uint8Array;
}

// Text words carry their trailing space; JSON members the comma before them (the destination,
// always written, is the first member).
const TEXT: Style = {
  json: false,
  member: (_key, word, value) => `${word} ${value} `,
  head: (typeName) => (typeName === undefined ? '' : `${typeName} `),
  key: (_key, word) => ascii(`${word} `),
  after: ascii(' '),
  close: ascii('\n'),
};
const JSON_STYLE: Style = {
  json: true,
  member: (key, _word, value) => `,"${key}":${JSON.stringify(value)}`,
  head: (typeName) => (typeName === undefined ? '{"dst":' : `{"type":${JSON.stringify(typeName)},"dst":`),
  key: (key) => ascii(`,"${key}":`),
  after: ascii(''),
  close: ascii('}'),
};

/** ip's flag words for rtm_flags, with their key: `,"flags":[…]` or `onlink `. */
function flagsPiece(style: Style, flags: number): string {
  const words = RT_FLAGS.filter(([bit]) => flags & bit).map(([, word]) => word);
  return style.json ? `,"flags":[${words.map((x) => JSON.stringify(x)).join(',')}]` : words.map((x) => `${x} `).join('');
}

/**
 * Output made once per value and kept as bytes: a key with its name (`,"dev":"eth0"`,
 * `dev eth0 `), so that a route is written in a few copies.
 */
class Pieces {
  private readonly cache = new Map<number, Uint8Array>();
  constructor(private readonly make: (id: number) => string) {}
  get(id: number): Uint8Array {
    let v = this.cache.get(id);
    if (v === undefined) {
      v = Buffer.from(this.make(id), 'utf8');
      this.cache.set(id, v);
    }
    return v;
  }
}

/** Writes dumped routes as `ip route show` (or `ip -j route show`, compact) would. */
export class WireRoutePrinter {
  private readonly style: Style;
  private readonly x = new Fields();
  private readonly heads: Pieces;
  private readonly devs: Pieces;
  private readonly tables: Pieces;
  private readonly protocols: Pieces;
  private readonly scopes: Pieces;
  private readonly flags: Pieces;
  private readonly defaultDst: Uint8Array;
  private readonly gatewayKey: Uint8Array;
  private readonly prefsrcKey: Uint8Array;
  private readonly metricKey: Uint8Array;
  private readonly nhidKey: Uint8Array;
  private readonly errorKey: Uint8Array;

  constructor(
    private readonly f: ResolvedFilter,
    private readonly opts: PrintOptions,
    json: boolean,
  ) {
    const style = (this.style = json ? JSON_STYLE : TEXT);
    this.heads = new Pieces((type) => style.head(type === RTN.unicast ? undefined : routeTypeText(type)));
    this.devs = new Pieces((id) => style.member('dev', 'dev', opts.names.get(id) ?? `if${id}`));
    this.tables = new Pieces((id) => style.member('table', 'table', tableNames.name(id)));
    this.protocols = new Pieces((id) => style.member('protocol', 'proto', protocolNames.name(id)));
    this.scopes = new Pieces((id) => style.member('scope', 'scope', scopeNames.name(id)));
    this.flags = new Pieces((flags) => flagsPiece(style, flags));
    this.defaultDst = ascii(json ? '"default"' : 'default ');
    this.gatewayKey = style.key('gateway', 'via');
    this.prefsrcKey = style.key('prefsrc', 'src');
    this.metricKey = style.key('metric', 'metric');
    this.nhidKey = style.key('nhid', 'nhid');
    this.errorKey = style.key('error', 'error');
  }

  /** Prints lead and then msg into out if it is a route this path handles; see WireRoute. */
  print(msg: Message, out: ByteOutput, lead?: Uint8Array): WireRoute {
    const { f, opts, x, style } = this;
    if (opts.details || msg.header.type !== RTM.NEWROUTE) return 'other';
    const b = msg.payload;
    const end = b.length;
    if (end < RTMSG_LEN) return 'other';
    const family = b[0];
    const dstLen = b[1];
    const flags = readU32LE(b, 8);
    if ((family !== AF_INET && family !== AF_INET6) || b[2] !== 0 || b[3] !== 0) return 'other';
    if (!scan(b, end, x)) return 'other';
    if (x.dst === -1 && dstLen !== 0) return 'other';

    const protocol = b[5];
    const scope = b[6];
    const type = b[7];
    const table = x.table !== -1 ? x.table : b[4];
    if (!rtmsgSelected(f, b, table, x.oif === -1 ? undefined : x.oif, x.priority === -1 ? undefined : x.priority)) return 'skipped';

    // The fields in print.ts's walk order.
    if (lead !== undefined) out.bytes(lead);
    out.bytes(this.heads.get(type));
    if (x.dst === -1) out.bytes(this.defaultDst);
    else {
      this.address(out, b, x.dst, x.dstEnd, dstLen === (family === AF_INET6 ? 128 : 32) ? -1 : dstLen);
      if (!style.json) out.byte(0x20);
    }
    if (x.nhid !== -1) {
      out.bytes(this.nhidKey);
      out.decimal(x.nhid);
      out.bytes(style.after);
    }
    if (x.gateway !== -1 && !opts.hideGateway) {
      out.bytes(this.gatewayKey);
      this.address(out, b, x.gateway, x.gatewayEnd, -1);
      out.bytes(style.after);
    }
    if (x.oif !== -1 && !opts.hideDev) out.bytes(this.devs.get(x.oif));
    if (table !== 0 && table !== RT_TABLE.main && !opts.hideTable) out.bytes(this.tables.get(table));
    if (protocol !== RTPROT_BOOT && !opts.hideProtocol) out.bytes(this.protocols.get(protocol));
    if (scope !== 0 && !opts.hideScope) out.bytes(this.scopes.get(scope));
    if (x.prefsrc !== -1 && !opts.hidePrefsrc) {
      out.bytes(this.prefsrcKey);
      this.address(out, b, x.prefsrc, x.prefsrcEnd, -1);
      out.bytes(style.after);
    }
    if (x.priority !== -1 && !opts.hideMetric) {
      out.bytes(this.metricKey);
      out.decimal(x.priority);
      out.bytes(style.after);
    }
    out.bytes(this.flags.get(flags));
    if (x.cacheinfo !== -1) this.cacheinfo(out, b, x.cacheinfo);
    if (x.pref !== -1) this.pref(out, x.pref);
    out.bytes(style.close);
    return 'printed';
  }

  /** An address, then "/length" unless length is -1; quoted in JSON. */
  private address(out: ByteOutput, b: Uint8Array, at: number, end: number, length: number): void {
    const json = this.style.json;
    if (json) out.byte(0x22); // '"'
    if (end - at === 4) out.ipv4(b, at);
    else out.text(addressText(b, at, end) as string);
    if (length !== -1) {
      out.byte(0x2f); // '/'
      out.decimal(length);
    }
    if (json) out.byte(0x22);
  }

  // putCacheinfo: rta_expires and rta_error, when not zero; expires in USER_HZ (100 per second).
  private cacheinfo(out: ByteOutput, b: Uint8Array, at: number): void {
    const expires = readU32LE(b, at + 8) | 0; // s32
    const error = readU32LE(b, at + 12);
    if (expires !== 0) out.text(this.style.json ? `,"expires":${Math.trunc(expires / 100)}` : `expires ${Math.trunc(expires / 100)}sec `);
    if (error !== 0) {
      out.bytes(this.errorKey);
      out.decimal(error);
      out.bytes(this.style.after);
    }
  }

  private pref(out: ByteOutput, p: number): void {
    const word = p === 3 ? 'low' : p === 0 ? 'medium' : p === 1 ? 'high' : undefined;
    if (this.style.json) out.text(word === undefined ? `,"pref":${p}` : `,"pref":"${word}"`);
    // ip writes no space after the pref word, and only the number for an unknown one.
    else out.text(word === undefined ? String(p) : `pref ${word}`);
  }
}
