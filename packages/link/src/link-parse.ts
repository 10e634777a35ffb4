// `ip link` argument syntax to library calls. Options are stored in the order the user gave
// them, because the library writes attributes in key order, as iproute2 does while parsing.
import { ArgCursor, ArgumentError, groupNames, parseOnOff, parseUnsigned, validateInterfaceName } from '@vrfctl/iproute2';
import type { LinkAttributes } from './link-attributes.js';
import type { NetnsRef } from './link-netns.js';
import type { LinkChanges } from './link-change.js';
import type { CreateLinkOptions, VethPeer } from './link-create.js';
import type { BridgeOptions, MacvlanMode, VlanProtocol, VxlanOptions } from './link-kinds.js';
import { parseBond, parseIpvlan } from './link-kind-parse.js';
import type { KindChange } from './link-kind-options.js';

/** One of the common link properties at the cursor, stored into attrs; false when the word is not one. */
function commonOption(word: string, c: ArgCursor, attrs: LinkAttributes): boolean {
  switch (word) {
    case 'up': attrs.up = true; return true;
    case 'down': attrs.up = false; return true;
    case 'mtu': attrs.mtu = parseUnsigned(c.value('mtu'), 'mtu'); return true;
    case 'txqueuelen': case 'txqlen': case 'qlen': attrs.txqlen = parseUnsigned(c.value(word), 'txqueuelen'); return true;
    case 'address': attrs.address = c.value('address'); return true;
    case 'broadcast': case 'brd': attrs.broadcast = c.value(word); return true;
    case 'alias': attrs.alias = c.value('alias'); return true;
    case 'master': attrs.master = c.value('master'); return true;
    case 'nomaster': attrs.master = null; return true;
    case 'group': attrs.group = groupNames.id(c.value('group'), 'group'); return true;
    case 'arp': attrs.arp = parseOnOff(c.value('arp'), 'arp'); return true;
    case 'multicast': attrs.multicast = parseOnOff(c.value('multicast'), 'multicast'); return true;
    case 'allmulticast': attrs.allmulticast = parseOnOff(c.value('allmulticast'), 'allmulticast'); return true;
    case 'promisc': attrs.promisc = parseOnOff(c.value('promisc'), 'promisc'); return true;
    // As ip: a name under /run/netns or a path, else a process id (opened when the plan runs).
    case 'netns':
      if (attrs.netns !== undefined) throw new ArgumentError('duplicate "netns": it is already given');
      attrs.netns = c.value('netns');
      return true;
    default: return false;
  }
}

function parsePeer(c: ArgCursor): VethPeer {
  const peer: VethPeer = {};
  while (!c.done) {
    const w = c.next();
    if (commonOption(w, c, peer)) continue;
    if (w === 'name' || w === 'dev') peer.name = validateInterfaceName(c.value(w), 'peer name');
    else if (peer.name === undefined) peer.name = validateInterfaceName(w, 'peer name');
    else throw new ArgumentError(`unknown veth peer option "${w}"`);
  }
  return peer;
}

const BRIDGE_U32: Record<string, keyof BridgeOptions> = {
  forward_delay: 'forwardDelay', hello_time: 'helloTime', max_age: 'maxAge', ageing_time: 'ageingTime', stp_state: 'stpState',
};
const BRIDGE_U16: Record<string, keyof BridgeOptions> = {
  priority: 'priority', group_fwd_mask: 'groupFwdMask', vlan_default_pvid: 'vlanDefaultPvid',
};
const BRIDGE_BOOL: Record<string, keyof BridgeOptions> = {
  vlan_filtering: 'vlanFiltering', mcast_snooping: 'mcastSnooping', mcast_querier: 'mcastQuerier',
};

function parseVlanProtocol(text: string): VlanProtocol {
  const t = text.toLowerCase();
  if (t === '802.1q') return '802.1Q';
  if (t === '802.1ad') return '802.1ad';
  throw new ArgumentError(`invalid VLAN protocol "${text}": 802.1Q or 802.1ad`);
}

function parseBridge(c: ArgCursor): BridgeOptions {
  const o: Record<string, number | boolean | string> = {};
  while (!c.done) {
    const w = c.next();
    if (BRIDGE_U32[w]) o[BRIDGE_U32[w]] = parseUnsigned(c.value(w), w);
    else if (BRIDGE_U16[w]) o[BRIDGE_U16[w]] = parseUnsigned(c.value(w), w, 0xffff);
    else if (BRIDGE_BOOL[w]) o[BRIDGE_BOOL[w]] = parseUnsigned(c.value(w), w, 1) === 1;
    else if (w === 'vlan_protocol') o.vlanProtocol = parseVlanProtocol(c.value(w));
    else throw new ArgumentError(`unknown bridge option "${w}"`);
  }
  return o as BridgeOptions;
}

function parseVxlan(c: ArgCursor): VxlanOptions {
  const o: VxlanOptions = {};
  const bool = (k: 'proxy' | 'l2miss' | 'l3miss' | 'udpcsum', v: boolean) => { o[k] = v; };
  while (!c.done) {
    const w = c.next();
    switch (w) {
      case 'id': case 'vni': o.id = parseUnsigned(c.value(w), 'vxlan id', 0xffffff); break;
      case 'group': o.group = c.value(w); break;
      case 'remote': o.remote = c.value(w); break;
      case 'local': o.local = c.value(w); break;
      case 'dev': o.dev = c.value(w); break;
      case 'dstport': o.dstport = parseUnsigned(c.value(w), 'dstport', 0xffff); break;
      case 'ttl': case 'hoplimit': { const v = c.value(w); o.ttl = v === 'inherit' ? 0 : parseUnsigned(v, 'ttl', 255); break; }
      case 'tos': case 'dsfield': { const v = c.value(w); o.tos = v === 'inherit' ? 1 : parseUnsigned(v, 'tos', 255); break; }
      case 'ageing': { const v = c.value(w); o.ageing = v === 'none' ? 0 : parseUnsigned(v, 'ageing'); break; }
      case 'maxaddress': { const v = c.value(w); o.maxaddress = v === 'unlimited' ? 0 : parseUnsigned(v, 'maxaddress'); break; }
      case 'learning': o.learning = true; break;
      case 'nolearning': o.learning = false; break;
      case 'proxy': case 'l2miss': case 'l3miss': case 'udpcsum': bool(w, true); break;
      case 'noproxy': case 'nol2miss': case 'nol3miss': case 'noudpcsum': bool(w.slice(2) as 'proxy', false); break;
      case 'external': o.external = true; break;
      default: throw new ArgumentError(`unknown vxlan option "${w}"`);
    }
  }
  return o;
}

/** The kind-specific words after "type KIND". */
function parseKindOptions(kind: string, c: ArgCursor, o: CreateLinkOptions): void {
  switch (kind) {
    case 'veth':
      if (c.accept('peer')) o.peer = parsePeer(c);
      break;
    case 'bridge': case 'bond': case 'ipvlan': {
      // A kind without options sends no IFLA_INFO_DATA.
      const parsed = kind === 'bridge' ? parseBridge(c) : kind === 'bond' ? parseBond(c) : parseIpvlan(c);
      if (Object.keys(parsed).length > 0) Object.assign(o, { [kind]: parsed });
      break;
    }
    case 'vlan': {
      const v: { id?: number; protocol?: VlanProtocol } = {};
      while (!c.done) {
        const w = c.next();
        if (w === 'id') v.id = parseUnsigned(c.value('id'), 'VLAN id', 4095);
        else if (w === 'protocol' || w === 'proto') v.protocol = parseVlanProtocol(c.value(w));
        else throw new ArgumentError(`unknown vlan option "${w}"`);
      }
      if (v.id === undefined) throw new ArgumentError('vlan needs "id VLANID"');
      o.vlan = v as { id: number; protocol?: VlanProtocol };
      break;
    }
    case 'macvlan':
      while (!c.done) {
        const w = c.next();
        if (w !== 'mode') throw new ArgumentError(`unknown macvlan option "${w}"`);
        o.macvlan = { mode: c.value('mode') as MacvlanMode };
      }
      break;
    case 'vxlan':
      o.vxlan = parseVxlan(c);
      break;
    case 'vrf': {
      const w = c.next();
      if (w !== 'table') throw new ArgumentError(`unknown vrf option "${w}"`);
      o.vrf = { table: parseUnsigned(c.value('table'), 'table') };
      break;
    }
    case 'dummy':
      break;
    default:
      if (!c.done) throw new ArgumentError(`options for link type "${kind}" are not supported`);
  }
  if (!c.done) throw new ArgumentError(`unexpected "${c.peek()}" after the ${kind} options`);
}

/** `link add [link DEV] [name] NAME [options] type KIND [kind options]`. */
export function parseLinkAdd(words: readonly string[]): CreateLinkOptions {
  const c = new ArgCursor(words);
  const o: Partial<CreateLinkOptions> = {};
  let kind: string | undefined;
  while (!c.done) {
    const w = c.next();
    if (commonOption(w, c, o)) continue;
    if (w === 'type') {
      kind = c.value('type');
      const full = o as CreateLinkOptions;
      full.kind = kind;
      parseKindOptions(kind, c, full);
      break;
    }
    if (w === 'link') o.link = c.value('link');
    else if (w === 'name' || w === 'dev') o.name = validateInterfaceName(c.value(w), 'name');
    else if (o.name === undefined) o.name = validateInterfaceName(w, 'name');
    else throw new ArgumentError(`unknown link option "${w}"`);
  }
  if (kind === undefined) throw new ArgumentError('"type" is required to add a link');
  return o as CreateLinkOptions;
}

/** `link set [dev] DEV [options]`. */
export function parseLinkSet(words: readonly string[]): { dev: string; changes: LinkChanges; vrf?: string } {
  const c = new ArgCursor(words);
  const changes: LinkChanges = {};
  let dev: string | undefined;
  let vrf: string | undefined;
  while (!c.done) {
    const w = c.next();
    if (commonOption(w, c, changes)) continue;
    // `vrf NAME` is `master NAME` once NAME is known to be a VRF (IFLA_MASTER, as ip sends it).
    if (w === 'vrf') changes.master = vrf = c.value('vrf');
    else if (w === 'type') changes.type = parseKindChange(c.value('type'), c);
    else if (w === 'name') changes.name = validateInterfaceName(c.value('name'), 'name');
    else if (w === 'dev') dev = c.value('dev');
    else if (dev === undefined) dev = w;
    else throw new ArgumentError(`unknown link option "${w}"`);
  }
  if (dev === undefined) throw new ArgumentError('Not enough information: "dev" argument is required.');
  return vrf === undefined ? { dev, changes } : { dev, changes, vrf };
}

/** `type bond|ipvlan|bridge OPTIONS` of `link set`: the rest of the words. */
function parseKindChange(kind: string, c: ArgCursor): KindChange {
  switch (kind) {
    case 'bond': return { kind, bond: parseBond(c) };
    case 'ipvlan': return { kind, ipvlan: parseIpvlan(c) };
    case 'bridge': return { kind, bridge: parseBridge(c) };
    default: throw new ArgumentError(`link set: options of link type "${kind}" are not supported (bond, ipvlan, bridge)`);
  }
}

/** `link del [dev] DEV`. */
export function parseLinkDel(words: readonly string[]): string {
  const c = new ArgCursor(words);
  c.accept('dev');
  const dev = c.value('dev');
  if (!c.done) throw new ArgumentError(`unexpected "${c.peek()}"`);
  return dev;
}

export interface LinkShowArgs {
  dev?: string;
  kind?: string;
  master?: string;
  vrf?: string;
  up: boolean;
}

/** `link show [dev] [DEV] [type KIND] [master DEV] [vrf NAME] [up]`. */
export function parseLinkShow(words: readonly string[]): LinkShowArgs {
  const c = new ArgCursor(words);
  const a: LinkShowArgs = { up: false };
  while (!c.done) {
    const w = c.next();
    if (w === 'up') a.up = true;
    else if (w === 'type') a.kind = c.value('type');
    else if (w === 'master') a.master = c.value('master');
    else if (w === 'vrf') a.vrf = c.value('vrf');
    else if (w === 'dev') a.dev = c.value('dev');
    else if (a.dev === undefined) a.dev = w;
    else throw new ArgumentError(`unknown link show option "${w}"`);
  }
  return a;
}

/** `link property add|del dev DEV altname NAME…`. */
export function parseLinkProperty(words: readonly string[]): { op: 'add' | 'del'; dev: string; altnames: string[] } {
  const c = new ArgCursor(words);
  const op = c.accept('add', 'del', 'delete');
  if (!op) throw new ArgumentError('link property needs "add" or "del"');
  let dev: string | undefined;
  const altnames: string[] = [];
  while (!c.done) {
    const w = c.next();
    if (w === 'dev') dev = c.value('dev');
    else if (w === 'altname') altnames.push(c.value('altname'));
    else if (dev === undefined) dev = w;
    else throw new ArgumentError(`unknown link property option "${w}"`);
  }
  if (dev === undefined) throw new ArgumentError('Not enough information: "dev" argument is required.');
  if (altnames.length === 0) throw new ArgumentError('link property needs "altname NAME"');
  return { op: op === 'add' ? 'add' : 'del', dev, altnames };
}
