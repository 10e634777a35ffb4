// The plans bound to a connection: `linksSync(socket).setLink('eth0', { up: true })` or
// `await linksAsync(socket).listAddresses({ dev: 'eth0' })`. Each call runs one plan, so the
// name cache lives for that call.
import { runAsync, runSync, type AsyncNetlink, type CallOptions, type Plan, type SyncNetlink } from '@vrfctl/socket';
import { batchAddresses, batchLinks, batchNeighbours } from './batch.js';
import { addAddress, changeAddress, deleteAddress, flushAddresses, listAddresses, replaceAddress } from './addresses.js';
import { createLink } from './link-create.js';
import { addAltName, deleteAltName, deleteLink, setLink } from './link-change.js';
import { findLink, getLink, listLinks } from './links.js';
import {
  addNeighbour, changeNeighbour, deleteNeighbour, flushNeighbours, listNeighbours, replaceNeighbour,
} from './neighbours.js';

export const linkPlans = {
  listLinks, getLink, findLink, createLink, setLink, deleteLink, addAltName, deleteAltName,
  listAddresses, addAddress, replaceAddress, changeAddress, deleteAddress, flushAddresses,
  listNeighbours, addNeighbour, changeNeighbour, replaceNeighbour, deleteNeighbour, flushNeighbours,
  batchAddresses, batchNeighbours, batchLinks,
};
type Plans = typeof linkPlans;
type PlanResult<P> = P extends Plan<infer T> ? T : never;

export type LinkApiSync = { [K in keyof Plans]: (...args: Parameters<Plans[K]>) => PlanResult<ReturnType<Plans[K]>> };
export type LinkApiAsync = { [K in keyof Plans]: (...args: Parameters<Plans[K]>) => Promise<PlanResult<ReturnType<Plans[K]>>> };

/** Every plan bound to nl; opts ({signal, timeoutMs}) apply to every call (make one per call for per-call options). */
export function linksSync(nl: SyncNetlink, opts?: CallOptions): LinkApiSync {
  const out: Record<string, unknown> = {};
  for (const [name, plan] of Object.entries(linkPlans)) {
    out[name] = (...args: unknown[]) => runSync(nl, (plan as (...a: unknown[]) => Plan<unknown>)(...args), opts);
  }
  return out as LinkApiSync;
}

/** `await linksAsync(nl, { signal }).batchAddresses('add', specs)`; opts apply to every call. */
export function linksAsync(nl: AsyncNetlink, opts?: CallOptions): LinkApiAsync {
  const out: Record<string, unknown> = {};
  for (const [name, plan] of Object.entries(linkPlans)) {
    out[name] = (...args: unknown[]) => runAsync(nl, (plan as (...a: unknown[]) => Plan<unknown>)(...args), opts);
  }
  return out as LinkApiAsync;
}
