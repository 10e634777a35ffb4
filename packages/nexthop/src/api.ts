// The conveniences: the plans bound to a socket, synchronous or asynchronous.
import { runAsync, runSync, type AsyncNetlink, type AsyncOptions, type BatchResult, type SyncNetlink } from '@vrfctl/socket';
import type { BucketFilter, Nexthop, NexthopBucket, NexthopFilter, NexthopFlushResult, NexthopSpec } from './model.js';
import {
  addNexthop, batchNexthops, deleteNexthop, flushNexthops, getBucket, getNexthop, listBuckets, listNexthops, replaceNexthop,
  type NexthopBatchItem,
} from './plans.js';

export interface NexthopOps {
  add(spec: NexthopSpec): void;
  replace(spec: NexthopSpec): void;
  delete(spec: NexthopSpec | number): void;
  get(id: number): Nexthop;
  list(filter?: NexthopFilter): Nexthop[];
  flush(filter?: NexthopFilter): NexthopFlushResult;
  buckets(filter?: BucketFilter): NexthopBucket[];
  bucket(id: number, index: number): NexthopBucket;
  batch(items: readonly NexthopBatchItem[]): BatchResult[];
}

export interface AsyncNexthopOps {
  add(spec: NexthopSpec): Promise<void>;
  replace(spec: NexthopSpec): Promise<void>;
  delete(spec: NexthopSpec | number): Promise<void>;
  get(id: number): Promise<Nexthop>;
  list(filter?: NexthopFilter): Promise<Nexthop[]>;
  flush(filter?: NexthopFilter): Promise<NexthopFlushResult>;
  buckets(filter?: BucketFilter): Promise<NexthopBucket[]>;
  bucket(id: number, index: number): Promise<NexthopBucket>;
  batch(items: readonly NexthopBatchItem[]): Promise<BatchResult[]>;
}

/** `nexthops(nl).add({ id: 1, gateway: '10.0.0.2', dev: 'eth0' })`. */
export function nexthops(nl: SyncNetlink): NexthopOps {
  return {
    add: (s) => runSync(nl, addNexthop(s)),
    replace: (s) => runSync(nl, replaceNexthop(s)),
    delete: (s) => runSync(nl, deleteNexthop(s)),
    get: (id) => runSync(nl, getNexthop(id)),
    list: (f) => runSync(nl, listNexthops(f)),
    flush: (f) => runSync(nl, flushNexthops(f)),
    buckets: (f) => runSync(nl, listBuckets(f)),
    bucket: (id, index) => runSync(nl, getBucket(id, index)),
    batch: (items) => runSync(nl, batchNexthops(items)),
  };
}

/** `await nexthopsAsync(nl).list({ groups: true })`; opts (signal, timeoutMs) apply to every step. */
export function nexthopsAsync(nl: AsyncNetlink, opts?: AsyncOptions): AsyncNexthopOps {
  return {
    add: (s) => runAsync(nl, addNexthop(s), opts),
    replace: (s) => runAsync(nl, replaceNexthop(s), opts),
    delete: (s) => runAsync(nl, deleteNexthop(s), opts),
    get: (id) => runAsync(nl, getNexthop(id), opts),
    list: (f) => runAsync(nl, listNexthops(f), opts),
    flush: (f) => runAsync(nl, flushNexthops(f), opts),
    buckets: (f) => runAsync(nl, listBuckets(f), opts),
    bucket: (id, index) => runAsync(nl, getBucket(id, index), opts),
    batch: (items) => runAsync(nl, batchNexthops(items), opts),
  };
}
