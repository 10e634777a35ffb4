// The conveniences: the plans bound to a socket, synchronous or asynchronous. Every call takes
// the same options ({signal, timeoutMs}); those given to routes()/routesAsync() are the defaults.
import { bindAsync, bindSync, type Arity, type AsyncNetlink, type CallOptions, type SyncNetlink } from '@vrfctl/socket';
import type { FlushResult, Route, RouteFilter, RouteQuery, RouteSpec } from './model.js';
import {
  addRoute, appendRoute, changeRoute, deleteRoute, flushRoutes, getRoute, listRoutes, prependRoute, replaceRoute,
} from './plans.js';
import { batchRoutes, type SpecResult } from './batch.js';
import type { RouteChange } from './encode.js';

export interface RouteOps {
  add(spec: RouteSpec, opts?: CallOptions): void;
  replace(spec: RouteSpec, opts?: CallOptions): void;
  append(spec: RouteSpec, opts?: CallOptions): void;
  prepend(spec: RouteSpec, opts?: CallOptions): void;
  change(spec: RouteSpec, opts?: CallOptions): void;
  delete(spec: RouteSpec, opts?: CallOptions): void;
  list(filter?: RouteFilter, opts?: CallOptions): Route[];
  get(query: RouteQuery, opts?: CallOptions): Route;
  flush(filter?: RouteFilter, opts?: CallOptions): FlushResult;
  /** Many changes pipelined: names looked up once, every spec checked first, a result per spec. */
  batch(op: RouteChange, specs: readonly RouteSpec[], opts?: CallOptions): Array<SpecResult<RouteSpec>>;
}

export interface AsyncRouteOps {
  add(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  replace(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  append(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  prepend(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  change(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  delete(spec: RouteSpec, opts?: CallOptions): Promise<void>;
  list(filter?: RouteFilter, opts?: CallOptions): Promise<Route[]>;
  get(query: RouteQuery, opts?: CallOptions): Promise<Route>;
  flush(filter?: RouteFilter, opts?: CallOptions): Promise<FlushResult>;
  /** Many changes pipelined: names looked up once, every spec checked first, a result per spec. */
  batch(op: RouteChange, specs: readonly RouteSpec[], opts?: CallOptions): Promise<Array<SpecResult<RouteSpec>>>;
}

const ROUTE_PLANS = {
  add: addRoute, replace: replaceRoute, append: appendRoute, prepend: prependRoute, change: changeRoute, delete: deleteRoute,
  list: listRoutes, get: getRoute, flush: flushRoutes, batch: batchRoutes,
};
const ARITY: Arity<typeof ROUTE_PLANS> = {
  add: 1, replace: 1, append: 1, prepend: 1, change: 1, delete: 1, list: 1, get: 1, flush: 1, batch: 2,
};

/** `routes(nl).add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 })`. */
export function routes(nl: SyncNetlink, defaults?: CallOptions): RouteOps {
  return bindSync(nl, ROUTE_PLANS, ARITY, defaults);
}

/** `await routesAsync(nl).list({ table: 'all' })`; opts (signal, timeoutMs) are every call's defaults. */
export function routesAsync(nl: AsyncNetlink, defaults?: CallOptions): AsyncRouteOps {
  return bindAsync(nl, ROUTE_PLANS, ARITY, defaults);
}
