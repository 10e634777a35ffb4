// The conveniences: the plans bound to a socket, synchronous or asynchronous.
import { runAsync, runSync, type AsyncNetlink, type AsyncOptions, type SyncNetlink } from '@vrfctl/socket';
import type { FlushResult, Route, RouteFilter, RouteQuery, RouteSpec } from './model.js';
import {
  addRoute, appendRoute, changeRoute, deleteRoute, flushRoutes, getRoute, listRoutes, prependRoute, replaceRoute,
} from './plans.js';

export interface RouteOps {
  add(spec: RouteSpec): void;
  replace(spec: RouteSpec): void;
  append(spec: RouteSpec): void;
  prepend(spec: RouteSpec): void;
  change(spec: RouteSpec): void;
  delete(spec: RouteSpec): void;
  list(filter?: RouteFilter): Route[];
  get(query: RouteQuery): Route;
  flush(filter?: RouteFilter): FlushResult;
}

export interface AsyncRouteOps {
  add(spec: RouteSpec): Promise<void>;
  replace(spec: RouteSpec): Promise<void>;
  append(spec: RouteSpec): Promise<void>;
  prepend(spec: RouteSpec): Promise<void>;
  change(spec: RouteSpec): Promise<void>;
  delete(spec: RouteSpec): Promise<void>;
  list(filter?: RouteFilter): Promise<Route[]>;
  get(query: RouteQuery): Promise<Route>;
  flush(filter?: RouteFilter): Promise<FlushResult>;
}

/** `routes(nl).add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 })`. */
export function routes(nl: SyncNetlink): RouteOps {
  return {
    add: (s) => runSync(nl, addRoute(s)),
    replace: (s) => runSync(nl, replaceRoute(s)),
    append: (s) => runSync(nl, appendRoute(s)),
    prepend: (s) => runSync(nl, prependRoute(s)),
    change: (s) => runSync(nl, changeRoute(s)),
    delete: (s) => runSync(nl, deleteRoute(s)),
    list: (f) => runSync(nl, listRoutes(f)),
    get: (q) => runSync(nl, getRoute(q)),
    flush: (f) => runSync(nl, flushRoutes(f)),
  };
}

/** `await routesAsync(nl).list({ table: 'all' })`; opts (signal, timeoutMs) apply to every step. */
export function routesAsync(nl: AsyncNetlink, opts?: AsyncOptions): AsyncRouteOps {
  return {
    add: (s) => runAsync(nl, addRoute(s), opts),
    replace: (s) => runAsync(nl, replaceRoute(s), opts),
    append: (s) => runAsync(nl, appendRoute(s), opts),
    prepend: (s) => runAsync(nl, prependRoute(s), opts),
    change: (s) => runAsync(nl, changeRoute(s), opts),
    delete: (s) => runAsync(nl, deleteRoute(s), opts),
    list: (f) => runAsync(nl, listRoutes(f), opts),
    get: (q) => runAsync(nl, getRoute(q), opts),
    flush: (f) => runAsync(nl, flushRoutes(f), opts),
  };
}
