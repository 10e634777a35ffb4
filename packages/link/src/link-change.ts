// Changing and deleting links, and their alternative names.
import { NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL } from '@vrfctl/netlink';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import { IFLA, RTM } from '@vrfctl/rtnetlink';
import { ArgumentError, validateInterfaceName } from '@vrfctl/iproute2';
import { writeIfInfo } from './headers.js';
import type { LinkRef } from './link.js';
import { linkFlagChanges, validateLinkAttributes, writeLinkAttributes, type LinkAttributes } from './link-attributes.js';
import { validateKindChange, writeKindChange, type KindChange } from './link-kind-options.js';
import { LinkNames } from './link-names.js';
import { closeNetns, openNetns, type ResolvedNetns } from './link-netns.js';

export interface LinkChanges extends LinkAttributes {
  /** Rename the link. */
  name?: string;
  /** `type bond|ipvlan|bridge OPTIONS`: the kind's options (IFLA_LINKINFO). */
  type?: KindChange;
}

/** RTM_NEWLINK for an existing link (what `ip link set` sends). */
export function setLinkRequest(index: number, changes: LinkChanges, masterIndex?: number, netns?: ResolvedNetns): Request {
  const { flags, change } = linkFlagChanges(changes);
  return {
    type: RTM.NEWLINK,
    flags: NLM_F_ACK,
    encode: (b) => {
      writeIfInfo(b, { index, flags, change });
      writeLinkAttributes(b, changes, masterIndex, netns);
      if (changes.name !== undefined) b.string(IFLA.IFNAME, changes.name);
      if (changes.type) writeKindChange(b, changes.type);
    },
  };
}

/** Resolves the master named in some attributes: undefined when not given, 0 for nomaster. */
export function* resolveMaster(a: LinkAttributes, names: LinkNames): Plan<number | undefined> {
  if (a.master === undefined) return undefined;
  if (a.master === null) return 0;
  return yield* names.index(a.master);
}

export function validateLinkChanges(changes: LinkChanges): void {
  validateLinkAttributes(changes);
  if (changes.name !== undefined) validateInterfaceName(changes.name, 'name');
  if (changes.type) validateKindChange(changes.type);
}

/** `link set eth0 netns blue`: how errors name a link change. */
export function describeSet(dev: LinkRef, changes: LinkChanges): string {
  const ns = changes.netns === undefined ? '' : typeof changes.netns === 'string' ? ` netns ${changes.netns}` : ` netns ${JSON.stringify(changes.netns)}`;
  return `link set ${dev}${changes.name !== undefined ? ` name ${changes.name}` : ''}${ns}`;
}

/**
 * Like `ip link set DEV …`: one request with every change. `netns` moves the link to another
 * network namespace (the kernel takes its addresses and routes away; set them up there).
 */
export function* setLink(dev: LinkRef, changes: LinkChanges, names = new LinkNames()): Plan<void> {
  validateLinkChanges(changes);
  // iproute2 resolves the master while parsing, before the device itself.
  const masterIndex = yield* resolveMaster(changes, names);
  const index = yield* names.index(dev);
  const netns = changes.netns === undefined ? undefined : openNetns(changes.netns);
  try {
    yield* ack({ ...setLinkRequest(index, changes, masterIndex, netns), what: describeSet(dev, changes) });
  } finally {
    closeNetns(netns);
  }
  if ((changes.name !== undefined || changes.netns !== undefined) && typeof dev === 'string') names.forget(dev);
}

/** RTM_DELLINK by index; with index 0 and a name, by name (the kernel looks IFLA_IFNAME up). */
export function deleteLinkRequest(index: number, name?: string): Request {
  return {
    type: RTM.DELLINK,
    flags: NLM_F_ACK,
    encode: (b) => {
      writeIfInfo(b, { index });
      if (index === 0 && name !== undefined) b.string(IFLA.IFNAME, name);
    },
  };
}

/** Like `ip link del DEV` (a veth's peer goes with it). */
export function* deleteLink(dev: LinkRef, names = new LinkNames()): Plan<void> {
  const index = yield* names.index(dev);
  yield* ack({ ...deleteLinkRequest(index), what: `link delete ${dev}` });
  if (typeof dev === 'string') names.forget(dev);
}

function altNameRequest(type: number, flags: number, index: number, altname: string): Request {
  return {
    type,
    flags,
    encode: (b) => {
      writeIfInfo(b, { index });
      const nest = b.nest(IFLA.PROP_LIST);
      b.string(IFLA.ALT_IFNAME, altname);
      b.endNest(nest);
    },
  };
}

function validateAltName(name: string): void {
  const n = Buffer.byteLength(name);
  if (n === 0 || n > 127 || /[/\s\0:]/.test(name)) throw new ArgumentError(`invalid altname "${name}"`);
}

/** Like `ip link property add dev DEV altname NAME`. */
export function* addAltName(dev: LinkRef, altname: string, names = new LinkNames()): Plan<void> {
  validateAltName(altname);
  const index = yield* names.index(dev);
  yield* ack({ ...altNameRequest(RTM.NEWLINKPROP, NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE | NLM_F_APPEND, index, altname), what: `link property add dev ${dev} altname ${altname}` });
}

/** Like `ip link property del dev DEV altname NAME`. */
export function* deleteAltName(dev: LinkRef, altname: string, names = new LinkNames()): Plan<void> {
  validateAltName(altname);
  const index = yield* names.index(dev);
  yield* ack({ ...altNameRequest(RTM.DELLINKPROP, NLM_F_ACK, index, altname), what: `link property del dev ${dev} altname ${altname}` });
}
