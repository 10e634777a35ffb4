// The conveniences: the plans bound to a socket, synchronous or asynchronous. As for routes,
// rules and links, every call takes `{ signal, timeoutMs }` last, over the object's defaults.
import {
  mergeOptions, runAsync, runSync, type AsyncNetlink, type CallOptions, type SpecResult, type SyncNetlink,
} from '@vrfctl/socket';
import type { BucketFilter, Nexthop, NexthopBucket, NexthopFilter, NexthopFlushResult, NexthopSpec } from './model.js';
import {
  addNexthop, batchNexthops, deleteNexthop, flushNexthops, getBucket, getNexthop, listBuckets, listNexthops, replaceNexthop,
  type NexthopBatchItem,
} from './plans.js';

export interface NexthopOps {
  add(spec: NexthopSpec, opts?: CallOptions): void;
  replace(spec: NexthopSpec, opts?: CallOptions): void;
  delete(spec: NexthopSpec | number, opts?: CallOptions): void;
  get(id: number, opts?: CallOptions): Nexthop;
  list(filter?: NexthopFilter, opts?: CallOptions): Nexthop[];
  flush(filter?: NexthopFilter, opts?: CallOptions): NexthopFlushResult;
  buckets(filter?: BucketFilter, opts?: CallOptions): NexthopBucket[];
  bucket(id: number, index: number, opts?: CallOptions): NexthopBucket;
  batch(items: readonly NexthopBatchItem[], opts?: CallOptions): Array<SpecResult<NexthopBatchItem>>;
}

export interface AsyncNexthopOps {
  add(spec: NexthopSpec, opts?: CallOptions): Promise<void>;
  replace(spec: NexthopSpec, opts?: CallOptions): Promise<void>;
  delete(spec: NexthopSpec | number, opts?: CallOptions): Promise<void>;
  get(id: number, opts?: CallOptions): Promise<Nexthop>;
  list(filter?: NexthopFilter, opts?: CallOptions): Promise<Nexthop[]>;
  flush(filter?: NexthopFilter, opts?: CallOptions): Promise<NexthopFlushResult>;
  buckets(filter?: BucketFilter, opts?: CallOptions): Promise<NexthopBucket[]>;
  bucket(id: number, index: number, opts?: CallOptions): Promise<NexthopBucket>;
  batch(items: readonly NexthopBatchItem[], opts?: CallOptions): Promise<Array<SpecResult<NexthopBatchItem>>>;
}

/** `nexthops(nl).add({ id: 1, gateway: '10.0.0.2', dev: 'eth0' })`. */
export function nexthops(nl: SyncNetlink, defaults?: CallOptions): NexthopOps {
  const o = (c?: CallOptions): CallOptions | undefined => mergeOptions(defaults, c);
  return {
    add: (s, c) => runSync(nl, addNexthop(s), o(c)),
    replace: (s, c) => runSync(nl, replaceNexthop(s), o(c)),
    delete: (s, c) => runSync(nl, deleteNexthop(s), o(c)),
    get: (id, c) => runSync(nl, getNexthop(id), o(c)),
    list: (f, c) => runSync(nl, listNexthops(f), o(c)),
    flush: (f, c) => runSync(nl, flushNexthops(f), o(c)),
    buckets: (f, c) => runSync(nl, listBuckets(f), o(c)),
    bucket: (id, index, c) => runSync(nl, getBucket(id, index), o(c)),
    batch: (items, c) => runSync(nl, batchNexthops(items), o(c)),
  };
}

/** `await nexthopsAsync(nl).list({ groups: true })`; opts (signal, timeoutMs) apply to every step. */
export function nexthopsAsync(nl: AsyncNetlink, defaults?: CallOptions): AsyncNexthopOps {
  const o = (c?: CallOptions): CallOptions | undefined => mergeOptions(defaults, c);
  return {
    add: (s, c) => runAsync(nl, addNexthop(s), o(c)),
    replace: (s, c) => runAsync(nl, replaceNexthop(s), o(c)),
    delete: (s, c) => runAsync(nl, deleteNexthop(s), o(c)),
    get: (id, c) => runAsync(nl, getNexthop(id), o(c)),
    list: (f, c) => runAsync(nl, listNexthops(f), o(c)),
    flush: (f, c) => runAsync(nl, flushNexthops(f), o(c)),
    buckets: (f, c) => runAsync(nl, listBuckets(f), o(c)),
    bucket: (id, index, c) => runAsync(nl, getBucket(id, index), o(c)),
    batch: (items, c) => runAsync(nl, batchNexthops(items), o(c)),
  };
}
