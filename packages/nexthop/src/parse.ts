// `ip nexthop …` words to a command: the same keywords, abbreviations and defaults as iproute2
// 6.1 (ipnexthop.c), and the keywords' order recorded so that a dry run matches ip byte for byte.
import { ArgCursor, ArgumentError, parseUnsigned } from '@vrfctl/iproute2';
import type { BucketFilter, IpVersion, NexthopChange, NexthopEncapSpec, NexthopFilter, NexthopSpec, NexthopWord } from './model.js';

export type NexthopCommand =
  | { kind: 'change'; op: NexthopChange; spec: NexthopSpec }
  | { kind: 'list'; filter: NexthopFilter }
  | { kind: 'flush'; filter: NexthopFilter }
  | { kind: 'get'; id: number; family?: IpVersion }
  | { kind: 'bucket-list'; filter: BucketFilter }
  | { kind: 'bucket-get'; id: number; index: number; family?: IpVersion };

export const NEXTHOP_USAGE =
  'usage: vrfctl nexthop { add | replace } id ID NH [ protocol ID ] | { get | del } id ID | { show | flush } [ SELECTOR ] | ' +
  'bucket { show [ SELECTOR ] [ nhid ID ] | get id ID index INDEX }';

/** iproute2's matches(): a non-empty prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

function id(text: string): number {
  return parseUnsigned(text, 'id value', 0xffffffff);
}

/** "1,3/2" -> [{id: 1, weight: 3}, {id: 2}] (ip's add_nh_group_attr). */
export function parseGroup(text: string): Array<{ id: number; weight?: number }> {
  if (text === '') throw new ArgumentError('"group" value is invalid: empty');
  return text.split('/').map((part) => {
    const [idText, weightText, extra] = part.split(',');
    if (extra !== undefined || idText === '') throw new ArgumentError(`"group" value is invalid: "${text}"`);
    const member: { id: number; weight?: number } = { id: parseUnsigned(idText, 'group member id') };
    if (weightText !== undefined) {
      const w = /^\d+$/.test(weightText) ? Number(weightText) : NaN;
      if (!(w >= 1 && w <= 256)) throw new ArgumentError(`"weight" is invalid: "${weightText}" (1…256)`);
      member.weight = w;
    }
    return member;
  });
}

const ENCAP_IP_WORDS = ['id', 'dst', 'src', 'ttl', 'tos'] as const;

function parseEncap(c: ArgCursor): NexthopEncapSpec {
  const type = c.value('encap');
  if (type === 'mpls') {
    const text = c.value('encap mpls');
    const labels = text.split('/').map((l) => parseUnsigned(l, 'mpls label', 0xfffff));
    const e: NexthopEncapSpec = { type: 'mpls', labels };
    if (c.peek() === 'ttl') {
      c.next();
      e.ttl = parseUnsigned(c.value('ttl'), 'ttl', 255);
    }
    return e;
  }
  if (type === 'ip') {
    const e: NexthopEncapSpec & { type: 'ip' } = { type: 'ip', order: [] };
    for (let w = c.peek(); w !== undefined && (ENCAP_IP_WORDS as readonly string[]).includes(w); w = c.peek()) {
      c.next();
      const v = c.value(w);
      if (w === 'id') e.id = BigInt(parseUnsigned(v, 'encap id', Number.MAX_SAFE_INTEGER));
      else if (w === 'dst') e.dst = v;
      else if (w === 'src') e.src = v;
      else if (w === 'ttl') e.ttl = parseUnsigned(v, 'ttl', 255);
      else e.tos = parseUnsigned(v, 'tos', 255);
      e.order!.push(w as 'id' | 'dst' | 'src' | 'ttl' | 'tos');
    }
    return e;
  }
  throw new ArgumentError(`encap type "${type}" is not supported here (ip, mpls)`);
}

/** The NH of `ip nexthop add|replace|del`. */
export function parseNexthopSpec(words: readonly string[], opts: { family?: IpVersion } = {}): NexthopSpec {
  const spec: NexthopSpec = {};
  if (opts.family !== undefined) spec.family = opts.family;
  const order: NexthopWord[] = [];
  const c = new ArgCursor(words);
  while (!c.done) {
    const w = c.next();
    if (w === 'id') {
      spec.id = id(c.value('id'));
      order.push('id');
    } else if (w === 'dev') {
      spec.dev = c.value('dev');
      order.push('dev');
    } else if (w === 'via') {
      let a = c.value('via');
      if (a === 'inet' || a === 'inet6') {
        const f = a === 'inet' ? 4 : 6;
        a = c.value('via');
        if (!a.includes(f === 4 ? '.' : ':')) throw new ArgumentError(`invalid gateway "${a}": not an IPv${f} address`);
      }
      spec.gateway = a;
      order.push('via');
    } else if (w === 'encap') {
      spec.encap = parseEncap(c);
      order.push('encap');
    } else if (w === 'blackhole') {
      spec.blackhole = true;
      order.push('blackhole');
    } else if (w === 'fdb') {
      spec.fdb = true;
      order.push('fdb');
    } else if (w === 'onlink') {
      spec.onlink = true;
    } else if (w === 'group') {
      spec.group = parseGroup(c.value('group'));
      order.push('group');
    } else if (w === 'type') {
      const t = c.value('type');
      if (t !== 'mpath' && t !== 'resilient') throw new ArgumentError(`"type" value is invalid: "${t}" (mpath or resilient)`);
      spec.groupType = t;
      // ip opens the resilient nest only when more words follow, and fills it while they are its own.
      if (t === 'resilient' && !c.done) {
        const r: NonNullable<NexthopSpec['resilient']> = { order: [] };
        for (let k = c.peek(); k === 'buckets' || k === 'idle_timer' || k === 'unbalanced_timer'; k = c.peek()) {
          c.next();
          const v = c.value(k);
          if (k === 'buckets') {
            r.buckets = parseUnsigned(v, 'buckets value', 0xffff);
            r.order!.push('buckets');
          } else if (k === 'idle_timer') {
            r.idleTimer = parseUnsigned(v, 'idle timer value', Math.floor(0xffffffff / 100) - 1);
            r.order!.push('idleTimer');
          } else {
            r.unbalancedTimer = parseUnsigned(v, 'unbalanced timer value', Math.floor(0xffffffff / 100) - 1);
            r.order!.push('unbalancedTimer');
          }
        }
        spec.resilient = r;
      }
      order.push('type');
    } else if (matches(w, 'protocol')) {
      spec.protocol = c.value('protocol');
    } else {
      throw new ArgumentError(`unknown argument "${w}"; ${NEXTHOP_USAGE}`);
    }
  }
  spec.order = order;
  return spec;
}

/** SELECTOR of `ip nexthop show|flush`. */
export function parseNexthopFilter(words: readonly string[], opts: { family?: IpVersion } = {}): NexthopFilter {
  const f: NexthopFilter = {};
  if (opts.family !== undefined) f.family = opts.family;
  const c = new ArgCursor(words);
  while (!c.done) {
    const w = c.next();
    if (matches(w, 'dev')) f.dev = c.value('dev');
    else if (matches(w, 'groups')) f.groups = true;
    else if (matches(w, 'master')) f.master = c.value('master');
    else if (matches(w, 'vrf')) f.vrf = c.value('vrf');
    else if (w === 'id') f.id = id(c.value('id'));
    else if (matches(w, 'protocol')) f.protocol = c.value('protocol');
    else if (matches(w, 'fdb')) f.fdb = true;
    else throw new ArgumentError(`unknown selector "${w}"; SELECTOR := [ id ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ] [ groups ] [ fdb ] [ protocol ID ]`);
    // `id` ends the selector in ip: the rest is not read.
    if (w === 'id') break;
  }
  return f;
}

function parseBucketFilter(words: readonly string[], opts: { family?: IpVersion }): BucketFilter {
  const f: BucketFilter = {};
  if (opts.family !== undefined) f.family = opts.family;
  const c = new ArgCursor(words);
  while (!c.done) {
    const w = c.next();
    if (matches(w, 'dev')) f.dev = c.value('dev');
    else if (matches(w, 'master')) f.master = c.value('master');
    else if (matches(w, 'vrf')) f.vrf = c.value('vrf');
    else if (w === 'id') f.id = id(c.value('id'));
    else if (w === 'nhid') f.nhid = id(c.value('nhid'));
    else throw new ArgumentError(`unknown selector "${w}"; BUCKET_SELECTOR := [ id ID ] [ nhid ID ] [ dev DEV ] [ vrf NAME ] [ master DEV ]`);
  }
  return f;
}

function parseIdOnly(words: readonly string[], what: string): number {
  const c = new ArgCursor(words);
  let found: number | undefined;
  while (!c.done) {
    const w = c.next();
    if (w !== 'id') throw new ArgumentError(`"${what}" takes only "id ID", not "${w}"`);
    found = id(c.value('id'));
  }
  if (!found) throw new ArgumentError(`"${what}" needs "id ID"`);
  return found;
}

/** The operation for `ip [-4|-6] nexthop WORDS…` (no words: list). */
export function parseNexthopCommand(words: readonly string[], opts: { family?: IpVersion } = {}): NexthopCommand {
  const [sub, ...rest] = words;
  if (sub === undefined) return { kind: 'list', filter: parseNexthopFilter([], opts) };
  // Tried in do_ipnh's order, so that abbreviations resolve the same way.
  if (matches(sub, 'add')) return { kind: 'change', op: 'add', spec: parseNexthopSpec(rest, opts) };
  if (matches(sub, 'replace')) return { kind: 'change', op: 'replace', spec: parseNexthopSpec(rest, opts) };
  if (matches(sub, 'delete')) {
    const spec = parseNexthopSpec(rest, opts);
    if (spec.id === undefined) throw new ArgumentError('"nexthop del" needs "id ID"');
    return { kind: 'change', op: 'delete', spec };
  }
  if (matches(sub, 'list') || matches(sub, 'show') || matches(sub, 'lst')) return { kind: 'list', filter: parseNexthopFilter(rest, opts) };
  if (matches(sub, 'get')) return { kind: 'get', id: parseIdOnly(rest, 'nexthop get'), ...(opts.family ? { family: opts.family } : {}) };
  if (matches(sub, 'flush')) return { kind: 'flush', filter: parseNexthopFilter(rest, opts) };
  if (matches(sub, 'bucket')) {
    const [verb, ...args] = rest;
    if (verb === undefined || matches(verb, 'list') || matches(verb, 'show') || matches(verb, 'lst')) {
      return { kind: 'bucket-list', filter: parseBucketFilter(verb === undefined ? [] : args, opts) };
    }
    if (matches(verb, 'get')) {
      const c = new ArgCursor(args);
      let gid: number | undefined;
      let index: number | undefined;
      while (!c.done) {
        const w = c.next();
        if (w === 'id') gid = id(c.value('id'));
        else if (w === 'index') index = parseUnsigned(c.value('index'), 'bucket index value', 0xffff);
        else throw new ArgumentError(`"nexthop bucket get" takes "id ID index INDEX", not "${w}"`);
      }
      if (!gid || index === undefined) throw new ArgumentError('"nexthop bucket get" needs "id ID index INDEX"');
      return { kind: 'bucket-get', id: gid, index, ...(opts.family ? { family: opts.family } : {}) };
    }
    throw new ArgumentError(`unknown bucket command "${verb}": show or get`);
  }
  throw new ArgumentError(`unknown nexthop command "${sub}"; ${NEXTHOP_USAGE}`);
}
