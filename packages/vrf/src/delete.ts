// deleteVrf: the device, the unreachable default routes createVrf put in its table (the kernel
// leaves device-less routes behind when the device goes), and on request every route of the table.
import { NetlinkError } from '@vrfctl/netlink';
import type { Route } from '@vrfctl/rtnetlink';
import { ack, type Plan } from '@vrfctl/socket';
import { deleteLinkRequest, deleteRouteRequest, dumpRoutes, VRF_DEFAULT_METRIC } from './kernel.js';
import { listVrfs, type Vrf } from './list.js';
import { VrfError } from './names.js';
import { checkVrfName } from './validate.js';

const ENOENT = 2;
const ESRCH = 3;

export interface DeleteVrfOptions {
  /** Delete every route left in the VRF's table, not only the unreachable defaults. */
  flushTable?: boolean;
}

export interface DeletedVrf extends Vrf {
  /** Routes deleted from the table after the device went. */
  routesDeleted: number;
}

function isUnreachableDefault(r: Route): boolean {
  return r.type === 'unreachable' && r.dst === undefined && r.priority === VRF_DEFAULT_METRIC;
}

export function* deleteVrf(name: string, options: DeleteVrfOptions = {}): Plan<DeletedVrf> {
  checkVrfName(name);
  const all = yield* listVrfs();
  const vrf = all.find((v) => v.name === name);
  if (!vrf) throw new VrfError(`VRF "${name}" does not exist`, 19);
  yield* ack(deleteLinkRequest({ index: vrf.ifindex }));
  // Connected and local routes of the ports leave with the device; what stays are routes with
  // no device or through devices outside the VRF. A table another VRF still uses (possible with
  // net.vrf.strict_mode 0) is that VRF's too: nothing in it is removed.
  let routesDeleted = 0;
  const shared = all.some((v) => v.table === vrf.table && v.ifindex !== vrf.ifindex);
  for (const family of shared ? [] : ([4, 6] as const)) {
    const routes = (yield* dumpRoutes(family)).filter((r) => r.table === vrf.table);
    for (const r of routes) {
      if (!options.flushTable && !isUnreachableDefault(r)) continue;
      try {
        yield* ack(deleteRouteRequest(r));
        routesDeleted++;
      } catch (err) {
        // Gone in the meantime (a multipath sibling, another tool): what we wanted anyway.
        if (!(err instanceof NetlinkError && (err.errno === ESRCH || err.errno === ENOENT))) throw err;
      }
    }
  }
  return { ...vrf, routesDeleted };
}
