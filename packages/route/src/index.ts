export {
  type Route, type NextHop, type IpVersion, type RouteTypeName, type RouteMetrics, type MetricName,
  type NextHopSpec, type InlineAttribute, type RouteSpec, type RouteFilter, type RouteQuery,
  type FlushResult,
} from './model.js';
export { routeChangeRequest, checkRouteSpec, describeRouteChange, type RouteChange, type Resolved } from './encode.js';
// The link lookups live with iproute2's conventions; routes' users have always found them here.
export { linkIndex, linkNameMap, vrfLink, vrfTableOf } from '@vrfctl/iproute2';
export { routeDumpRequest, routeOfDump, routeSelected, selectRoutes, wireSelectable, type ResolvedFilter } from './select.js';
export {
  modifyRoute, addRoute, replaceRoute, appendRoute, prependRoute, changeRoute, deleteRoute, listRoutes, flushRoutes,
  resolvedFilter,
  getRoute, routeGetRequest,
} from './plans.js';
export { routes, routesAsync, type RouteOps, type AsyncRouteOps } from './api.js';
export { batchRoutes, type SpecResult } from './batch.js';
export { parseRouteSpec, parseRouteFilter, parseRouteQuery } from './parse.js';
export { formatRoute, routeToJson, printOptionsFor, type PrintOptions } from './print.js';
export { WireRoutePrinter, type WireRoute } from './print-wire.js';
export { ByteOutput } from './byte-output.js';
export { parseRouteCommand, routeCommandPlan, type RouteCommand, type RouteCommandResult } from './command.js';
export { routeSpecOf } from './from-route.js';
export { writeSimpleRouteChange, writeOif, SIMPLE_OIF_LEN, type SimpleRouteChange } from './simple-change.js';

