// The plans bound to a connection: `links(socket).setLink('eth0', { up: true })` or
// `await linksAsync(socket).listAddresses({ dev: 'eth0' })`. Each call runs one plan, so the
// name cache lives for that call. As for routes, rules and nexthops: every call takes
// `{ signal, timeoutMs }` as its last argument, over the defaults given to links()/linksAsync().
import {
  bindPlans, runAsync, runSync, type Arity, type AsyncNetlink, type CallOptions, type Plan, type SyncNetlink,
} from '@vrfctl/socket';
import { batchAddresses, batchLinks, batchNeighbours } from './batch.js';
import { addAddress, changeAddress, deleteAddress, flushAddresses, listAddresses, replaceAddress } from './addresses.js';
import { createLink } from './link-create.js';
import { addAltName, deleteAltName, deleteLink, setLink } from './link-change.js';
import type { LinkNames } from './link-names.js';
import { findLink, getLink, listLinks } from './links.js';
import { addBridgeVlan, deleteBridgeVlan, listBridgeVlans } from './bridge-vlans.js';
import {
  addNeighbour, changeNeighbour, deleteNeighbour, flushNeighbours, listNeighbours, replaceNeighbour,
} from './neighbours.js';

export const linkPlans = {
  listLinks, getLink, findLink, createLink, setLink, deleteLink, addAltName, deleteAltName,
  listAddresses, addAddress, replaceAddress, changeAddress, deleteAddress, flushAddresses,
  listNeighbours, addNeighbour, changeNeighbour, replaceNeighbour, deleteNeighbour, flushNeighbours,
  batchAddresses, batchNeighbours, batchLinks, addBridgeVlan, deleteBridgeVlan, listBridgeVlans,
};
type Plans = typeof linkPlans;

/** How many arguments each plan takes before its LinkNames (the per-call options go there instead). */
const ARITY: Arity<Plans> = {
  listLinks: 1, getLink: 1, findLink: 1, createLink: 1, setLink: 2, deleteLink: 1, addAltName: 2, deleteAltName: 2,
  listAddresses: 1, addAddress: 1, replaceAddress: 1, changeAddress: 1, deleteAddress: 1, flushAddresses: 1,
  listNeighbours: 1, addNeighbour: 1, changeNeighbour: 1, replaceNeighbour: 1, deleteNeighbour: 1, flushNeighbours: 1,
  batchAddresses: 2, batchNeighbours: 2, batchLinks: 1, addBridgeVlan: 1, deleteBridgeVlan: 1, listBridgeVlans: 1,
};

type PlanResult<P> = P extends Plan<infer T> ? T : never;
/** A plan's parameters without its trailing LinkNames. */
type Args<P extends unknown[]> = P extends [...infer H, (LinkNames | undefined)?] ? H : never;
type Call<K extends keyof Plans> = [...Args<Parameters<Plans[K]>>, CallOptions?];

export type LinkApiSync = { [K in keyof Plans]: (...args: Call<K>) => PlanResult<ReturnType<Plans[K]>> };
export type LinkApiAsync = { [K in keyof Plans]: (...args: Call<K>) => Promise<PlanResult<ReturnType<Plans[K]>>> };

/** Every plan bound to nl, run synchronously; defaults ({signal, timeoutMs}) apply to every call. */
export function links(nl: SyncNetlink, defaults?: CallOptions): LinkApiSync {
  return bindPlans(linkPlans, ARITY, (plan, opts) => runSync(nl, plan, opts), defaults) as unknown as LinkApiSync;
}

/** The same as links(); the name says it is the synchronous one. */
export const linksSync = links;

/** `await linksAsync(nl, { signal }).batchAddresses('add', specs)`; defaults apply to every call. */
export function linksAsync(nl: AsyncNetlink, defaults?: CallOptions): LinkApiAsync {
  return bindPlans(linkPlans, ARITY, (plan, opts) => runAsync(nl, plan, opts), defaults) as unknown as LinkApiAsync;
}
