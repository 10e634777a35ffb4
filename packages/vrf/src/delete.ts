// deleteVrf: the device, the unreachable default routes createVrf put in its table (the kernel
// leaves device-less routes behind when the device goes), and on request every route of the table.
import { Errno, NetlinkError } from '@vrfctl/netlink';
import { deleteLink } from '@vrfctl/link';
import { deleteRoute, routeSpecOf } from '@vrfctl/route';
import type { Route } from '@vrfctl/rtnetlink';
import type { Plan } from '@vrfctl/socket';
import { allRoutes, VRF_DEFAULT_METRIC } from './routes.js';
import { listVrfs, type Vrf } from './list.js';
import { VrfError } from './names.js';
import { checkVrfName } from './validate.js';

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
  if (!vrf) throw new VrfError(`VRF "${name}" does not exist`, Errno.ENODEV);
  yield* deleteLink(vrf.ifindex);
  // Connected and local routes of the ports leave with the device; what stays are routes with
  // no device or through devices outside the VRF. A table another VRF still uses (possible with
  // net.vrf.strict_mode 0) is that VRF's too: nothing in it is removed.
  let routesDeleted = 0;
  const shared = all.some((v) => v.table === vrf.table && v.ifindex !== vrf.ifindex);
  for (const family of shared ? [] : ([4, 6] as const)) {
    const routes = (yield* allRoutes(family)).filter((r) => r.table === vrf.table);
    for (const r of routes) {
      if (!options.flushTable && !isUnreachableDefault(r)) continue;
      try {
        yield* deleteRoute(routeSpecOf(r));
        routesDeleted++;
      } catch (err) {
        // Gone in the meantime (a multipath sibling, another tool): what we wanted anyway.
        if (!(err instanceof NetlinkError && (err.errno === Errno.ESRCH || err.errno === Errno.ENOENT))) throw err;
      }
    }
  }
  return { ...vrf, routesDeleted };
}
