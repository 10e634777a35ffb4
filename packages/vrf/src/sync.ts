// One-call forms of the VRF plans, for callers that do not compose plans themselves.
import { runAsync, runSync, type AsyncNetlink, type AsyncOptions, type SyncNetlink } from '@vrfctl/socket';
import { createVrf, type CreateVrfOptions, type CreatedVrf } from './create.js';
import { deleteVrf, type DeleteVrfOptions, type DeletedVrf } from './delete.js';
import { listVrfs, type Vrf } from './list.js';
import { enslave, release, type EnslaveOptions, type PortOptions, type PortsResult } from './ports.js';
import { showVrf, type VrfDetails } from './show.js';

export const createVrfSync = (nl: SyncNetlink, name: string, table: number | string, o?: CreateVrfOptions): CreatedVrf =>
  runSync(nl, createVrf(name, table, o));
export const deleteVrfSync = (nl: SyncNetlink, name: string, o?: DeleteVrfOptions): DeletedVrf => runSync(nl, deleteVrf(name, o));
export const listVrfsSync = (nl: SyncNetlink): Vrf[] => runSync(nl, listVrfs());
export const showVrfSync = (nl: SyncNetlink, name: string): VrfDetails => runSync(nl, showVrf(name));
export const enslaveSync = (nl: SyncNetlink, vrf: string, devs: readonly string[], o?: EnslaveOptions): PortsResult =>
  runSync(nl, enslave(vrf, devs, o));
export const releaseSync = (nl: SyncNetlink, devs: readonly string[], o?: PortOptions): PortsResult => runSync(nl, release(devs, o));

export const createVrfAsync = (nl: AsyncNetlink, name: string, table: number | string, o?: CreateVrfOptions, a?: AsyncOptions): Promise<CreatedVrf> =>
  runAsync(nl, createVrf(name, table, o), a);
export const deleteVrfAsync = (nl: AsyncNetlink, name: string, o?: DeleteVrfOptions, a?: AsyncOptions): Promise<DeletedVrf> =>
  runAsync(nl, deleteVrf(name, o), a);
export const listVrfsAsync = (nl: AsyncNetlink, a?: AsyncOptions): Promise<Vrf[]> => runAsync(nl, listVrfs(), a);
export const showVrfAsync = (nl: AsyncNetlink, name: string, a?: AsyncOptions): Promise<VrfDetails> => runAsync(nl, showVrf(name), a);
export const enslaveAsync = (nl: AsyncNetlink, vrf: string, devs: readonly string[], o?: EnslaveOptions, a?: AsyncOptions): Promise<PortsResult> =>
  runAsync(nl, enslave(vrf, devs, o), a);
export const releaseAsync = (nl: AsyncNetlink, devs: readonly string[], o?: PortOptions, a?: AsyncOptions): Promise<PortsResult> =>
  runAsync(nl, release(devs, o), a);
