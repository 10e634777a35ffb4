// RTM_NEWRULE messages from a dump (or a monitor) into the typed Rule.
import { AF_INET6, DecodeError, forEachAttribute, formatIP, type Message } from '@vrfctl/netlink';
import { FRA, ruleActionNames, rawAttribute, type RawAttribute } from '@vrfctl/rtnetlink';
import type { Range, Rule, RuleActionName } from './model.js';

const FIB_RULE_HDR_LEN = 12;
const FIB_RULE_INVERT = 0x2;
const ACTIONS: ReadonlySet<string> = new Set(['lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit']);

export function actionOf(value: number): RuleActionName | number {
  const name = ruleActionNames.name(value);
  return typeof name === 'string' && ACTIONS.has(name) ? (name as RuleActionName) : value;
}

function need(v: Buffer, n: number, what: string): void {
  if (v.length < n) throw new DecodeError(`${what} has ${v.length} bytes, needs ${n}`, v.byteOffset);
}

function range(v: Buffer, width: 2 | 4, what: string): Range {
  need(v, 2 * width, what);
  return width === 4
    ? { start: v.readUInt32LE(0), end: v.readUInt32LE(4) }
    : { start: v.readUInt16LE(0), end: v.readUInt16LE(2) };
}

function ifname(v: Buffer): string {
  const nul = v.indexOf(0);
  return v.toString('utf8', 0, nul === -1 ? v.length : nul);
}

/** Decodes one rule message; the family must be AF_INET or AF_INET6. */
export function decodeRule(msg: Message): Rule {
  const p = msg.payload;
  if (p.length < FIB_RULE_HDR_LEN) throw new DecodeError(`fib_rule_hdr of ${p.length} bytes, needs 12`, msg.offset);
  const family = p[0] === AF_INET6 ? 6 : 4;
  const dstLen = p[1];
  const srcLen = p[2];
  const flags = p.readUInt32LE(8);
  const rule: Rule = {
    family,
    priority: 0,
    not: (flags & FIB_RULE_INVERT) !== 0,
    tos: p[3],
    fwmark: 0,
    fwmask: 0,
    l3mdev: false,
    ipProto: 0,
    tunId: 0n,
    realms: 0,
    table: p[4],
    action: actionOf(p[7]),
    protocol: 0,
    flags,
    unknown: [],
  };
  const unknown: RawAttribute[] = rule.unknown;
  forEachAttribute(p, FIB_RULE_HDR_LEN, p.length, (type, vs, ve, raw) => {
    const v = p.subarray(vs, ve);
    switch (type) {
      case FRA.PRIORITY: need(v, 4, 'FRA_PRIORITY'); rule.priority = v.readUInt32LE(0); break;
      case FRA.SRC: if (v.length) rule.src = `${formatIP(v)}/${srcLen}`; break;
      case FRA.DST: if (v.length) rule.dst = `${formatIP(v)}/${dstLen}`; break;
      case FRA.FWMARK: need(v, 4, 'FRA_FWMARK'); rule.fwmark = v.readUInt32LE(0); break;
      case FRA.FWMASK: need(v, 4, 'FRA_FWMASK'); rule.fwmask = v.readUInt32LE(0); break;
      case FRA.IIFNAME: rule.iif = ifname(v); break;
      case FRA.OIFNAME: rule.oif = ifname(v); break;
      case FRA.L3MDEV: need(v, 1, 'FRA_L3MDEV'); rule.l3mdev = v[0] !== 0; break;
      case FRA.UID_RANGE: rule.uidRange = range(v, 4, 'FRA_UID_RANGE'); break;
      case FRA.IP_PROTO: need(v, 1, 'FRA_IP_PROTO'); rule.ipProto = v[0]; break;
      case FRA.SPORT_RANGE: rule.sport = range(v, 2, 'FRA_SPORT_RANGE'); break;
      case FRA.DPORT_RANGE: rule.dport = range(v, 2, 'FRA_DPORT_RANGE'); break;
      case FRA.TUN_ID: need(v, 8, 'FRA_TUN_ID'); rule.tunId = v.readBigUInt64BE(0); break;
      case FRA.FLOW: need(v, 4, 'FRA_FLOW'); rule.realms = v.readUInt32LE(0); break;
      case FRA.TABLE: need(v, 4, 'FRA_TABLE'); rule.table = v.readUInt32LE(0); break;
      case FRA.GOTO: need(v, 4, 'FRA_GOTO'); rule.goto = v.readUInt32LE(0); break;
      case FRA.SUPPRESS_PREFIXLEN: {
        need(v, 4, 'FRA_SUPPRESS_PREFIXLEN');
        const n = v.readInt32LE(0);
        if (n !== -1) rule.suppressPrefixlen = n;
        break;
      }
      case FRA.SUPPRESS_IFGROUP: {
        need(v, 4, 'FRA_SUPPRESS_IFGROUP');
        const n = v.readInt32LE(0);
        if (n !== -1) rule.suppressIfgroup = n;
        break;
      }
      case FRA.PROTOCOL: need(v, 1, 'FRA_PROTOCOL'); rule.protocol = v[0]; break;
      default: unknown.push(rawAttribute(p, vs, ve, raw));
    }
  });
  return rule;
}
