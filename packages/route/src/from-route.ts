// A listed route back into a RouteSpec, to delete it exactly or to re-create it elsewhere
// (`{ ...routeSpecOf(r), dev: 'br0' }` moves a route to another device).
import {
  familyNames, metricNames, routeFlagNames, routePrefNames, routeProtocolNames, routeTypeNames, scopeNames as rtScopeNames,
  RTNH_F, type Route,
} from '@vrfctl/rtnetlink';
import type { MetricName, NextHopSpec, RouteMetrics, RouteSpec } from './model.js';

const METRIC_KEYS: Record<string, MetricName> = { cc_algo: 'congctl' };

function num(v: string | number, names: { value(n: string | number): number }): number {
  return typeof v === 'number' ? v : names.value(v);
}

export function routeSpecOf(r: Route): RouteSpec {
  const family = familyNames.value(r.family) === 10 ? 6 : 4;
  const spec: RouteSpec = {
    dst: r.dst ?? 'default',
    family,
    type: num(r.type, routeTypeNames),
    protocol: num(r.protocol, routeProtocolNames),
    scope: num(r.scope, rtScopeNames),
    table: r.table,
  };
  if (r.tos) spec.tos = r.tos;
  if (r.src !== undefined) spec.from = r.src;
  if (r.nhId !== undefined) {
    // A route through a nexthop object is named by its id: the hops a dump shows are the object's,
    // and a request naming them would be another route to the kernel.
    spec.nhid = r.nhId;
    // Over a blackhole nexthop the kernel dumps the route as RTN_BLACKHOLE, but it was added and
    // is matched as unicast: a delete naming it blackhole finds nothing (ESRCH).
    if (spec.type === routeTypeNames.value('blackhole')) spec.type = routeTypeNames.value('unicast');
    if (r.priority !== undefined) spec.metric = r.priority;
    return spec;
  }
  if (r.gateway !== undefined) spec.gateway = r.gateway;
  else if (r.via) spec.gateway = r.via.address;
  if (r.oif !== undefined) spec.dev = r.oif;
  if (r.prefsrc !== undefined) spec.prefsrc = r.prefsrc;
  if (r.priority !== undefined) spec.metric = r.priority;
  if (routeFlagNames.value(r.flags) & RTNH_F.onlink) spec.onlink = true;
  if (r.flow !== undefined) spec.realms = r.flow;
  if (r.pref !== undefined) spec.pref = num(r.pref, routePrefNames);
  if (r.nhId !== undefined) spec.nhid = r.nhId;
  if (r.metrics) {
    const metrics: RouteMetrics = {};
    const lock: MetricName[] = [];
    let lockBits = 0;
    for (const [k, v] of Object.entries(r.metrics)) {
      if (k === 'lock') lockBits = Number(v);
      else (metrics as Record<string, number | string>)[METRIC_KEYS[k] ?? k] = v;
    }
    for (const k of Object.keys(metrics) as MetricName[]) {
      const type = metricNames.value(k === 'congctl' ? 'cc_algo' : k);
      if (lockBits & (1 << type)) lock.push(k);
    }
    spec.metrics = metrics;
    if (lock.length) spec.lock = lock;
  }
  if (r.multipath?.length) {
    spec.nexthops = r.multipath.map((h): NextHopSpec => {
      const hop: NextHopSpec = { dev: h.ifindex, weight: h.hops + 1 };
      if (h.gateway !== undefined) hop.gateway = h.gateway;
      else if (h.via) hop.gateway = h.via.address;
      if (h.flags.includes('onlink')) hop.onlink = true;
      if (h.flow !== undefined) hop.realms = h.flow;
      return hop;
    });
  }
  return spec;
}
