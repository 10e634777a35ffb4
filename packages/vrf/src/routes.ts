// The routes a VRF owns: the unreachable default routes createVrf puts in its table, in the
// terms of @vrfctl/route's specs, and the dump of every table that the VRF operations read.
import { listRoutes, type RouteSpec } from '@vrfctl/route';
import type { Route } from '@vrfctl/rtnetlink';
import type { Plan } from '@vrfctl/socket';

export type IpFamily = 4 | 6;

/** The metric the kernel documentation gives the VRF's unreachable default route: lowest preference. */
export const VRF_DEFAULT_METRIC = 4278198272;

/** `ip route add table T unreachable default metric 4278198272` for one family. */
export function unreachableDefaultRoute(family: IpFamily, table: number): RouteSpec {
  return { family, type: 'unreachable', dst: 'default', table, metric: VRF_DEFAULT_METRIC };
}

/** The routes of one family in every table (cloned/cache entries left out), as `ip route show table all`. */
export function allRoutes(family: IpFamily): Plan<Route[]> {
  return listRoutes({ table: 'all', family });
}
