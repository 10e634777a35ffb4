// The conveniences: the plans bound to a socket, synchronous or asynchronous. Every call takes
// the same options ({signal, timeoutMs}); those given to routes()/routesAsync() are the defaults.
import { mergeOptions, runAsync, runSync, type AsyncNetlink, type CallOptions, type SyncNetlink } from '@vrfctl/socket';
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

/** `routes(nl).add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 })`. */
export function routes(nl: SyncNetlink, defaults?: CallOptions): RouteOps {
  const o = (call?: CallOptions): CallOptions | undefined => mergeOptions(defaults, call);
  return {
    add: (s, c) => runSync(nl, addRoute(s), o(c)),
    replace: (s, c) => runSync(nl, replaceRoute(s), o(c)),
    append: (s, c) => runSync(nl, appendRoute(s), o(c)),
    prepend: (s, c) => runSync(nl, prependRoute(s), o(c)),
    change: (s, c) => runSync(nl, changeRoute(s), o(c)),
    delete: (s, c) => runSync(nl, deleteRoute(s), o(c)),
    list: (f, c) => runSync(nl, listRoutes(f), o(c)),
    get: (q, c) => runSync(nl, getRoute(q), o(c)),
    flush: (f, c) => runSync(nl, flushRoutes(f), o(c)),
    batch: (op, specs, c) => runSync(nl, batchRoutes(op, specs), o(c)),
  };
}

/** `await routesAsync(nl).list({ table: 'all' })`; opts (signal, timeoutMs) are every call's defaults. */
export function routesAsync(nl: AsyncNetlink, defaults?: CallOptions): AsyncRouteOps {
  const o = (call?: CallOptions): CallOptions | undefined => mergeOptions(defaults, call);
  return {
    add: (s, c) => runAsync(nl, addRoute(s), o(c)),
    replace: (s, c) => runAsync(nl, replaceRoute(s), o(c)),
    append: (s, c) => runAsync(nl, appendRoute(s), o(c)),
    prepend: (s, c) => runAsync(nl, prependRoute(s), o(c)),
    change: (s, c) => runAsync(nl, changeRoute(s), o(c)),
    delete: (s, c) => runAsync(nl, deleteRoute(s), o(c)),
    list: (f, c) => runAsync(nl, listRoutes(f), o(c)),
    get: (q, c) => runAsync(nl, getRoute(q), o(c)),
    flush: (f, c) => runAsync(nl, flushRoutes(f), o(c)),
    batch: (op, specs, c) => runAsync(nl, batchRoutes(op, specs), o(c)),
  };
}
