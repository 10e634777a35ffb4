// Many route changes as one pipelined batch: every spec checked, every name looked up once,
// then one batch() with a result per spec.
import { batch, type Plan, type SpecResult } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import type { RouteSpec } from './model.js';
import { checkRouteSpec, describeRouteChange, routeChangeRequest, type Resolved, type RouteChange } from './encode.js';
import { linkIndex, vrfLink } from '@vrfctl/iproute2';

export type { SpecResult };

/**
 * Checks every spec (ArgumentError naming the spec, before anything is sent), looks up each
 * device and VRF named once (DeviceNotFoundError/ArgumentError, before anything is sent), then
 * sends all changes pipelined. One result per spec, in order; a failure's error names its route.
 */
export function* batchRoutes(op: RouteChange, specs: readonly RouteSpec[]): Plan<Array<SpecResult<RouteSpec>>> {
  specs.forEach((spec, i) => {
    try {
      checkRouteSpec(op, spec);
    } catch (err) {
      if (err instanceof ArgumentError) {
        throw new ArgumentError(`spec ${i + 1} of ${specs.length} (${describeRouteChange(op, spec)}): ${err.message}`);
      }
      throw err;
    }
  });
  const devices = new Map<string | number, number>();
  const vrfTables = new Map<string, number>();
  for (const spec of specs) {
    for (const dev of [spec.dev, ...(spec.nexthops ?? []).map((h) => h.dev)]) {
      if (dev !== undefined && !devices.has(dev)) devices.set(dev, yield* linkIndex(dev));
    }
    if (spec.vrf !== undefined && !vrfTables.has(spec.vrf)) vrfTables.set(spec.vrf, (yield* vrfLink(spec.vrf)).table);
  }
  const requests = specs.map((spec) => {
    const resolved: Resolved = { hopIndexes: (spec.nexthops ?? []).map((h) => (h.dev === undefined ? 0 : devices.get(h.dev)!)) };
    if (spec.dev !== undefined) resolved.oif = devices.get(spec.dev)!;
    if (spec.vrf !== undefined) resolved.table = vrfTables.get(spec.vrf)!;
    return routeChangeRequest(op, spec, resolved);
  });
  const answers = yield* batch(requests);
  return answers.map((a, i) => (a.ok ? { ok: true, spec: specs[i] } : { ok: false, spec: specs[i], error: a.error }));
}
