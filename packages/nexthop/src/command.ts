// `ip nexthop …` as a whole: the plan that carries out a parsed command. The CLI and `batch` use it.
import type { Plan } from '@vrfctl/socket';
import type { Nexthop, NexthopBucket, NexthopFlushResult } from './model.js';
import type { NexthopCommand } from './parse.js';
import { flushNexthops, getBucket, getNexthop, listBuckets, listNexthops, modifyNexthop } from './plans.js';

export type NexthopCommandResult =
  | { kind: 'change' }
  | { kind: 'list'; nexthops: Nexthop[] }
  | { kind: 'flush'; result: NexthopFlushResult; byId: boolean }
  | { kind: 'buckets'; buckets: NexthopBucket[] };

export function* nexthopCommandPlan(cmd: NexthopCommand): Plan<NexthopCommandResult> {
  switch (cmd.kind) {
    case 'change':
      yield* modifyNexthop(cmd.op, cmd.spec);
      return { kind: 'change' };
    case 'list':
      return { kind: 'list', nexthops: yield* listNexthops(cmd.filter) };
    case 'get':
      return { kind: 'list', nexthops: [yield* getNexthop(cmd.id, cmd.family)] };
    case 'flush':
      return { kind: 'flush', result: yield* flushNexthops(cmd.filter), byId: cmd.filter.id !== undefined };
    case 'bucket-list':
      return { kind: 'buckets', buckets: yield* listBuckets(cmd.filter) };
    case 'bucket-get':
      return { kind: 'buckets', buckets: [yield* getBucket(cmd.id, cmd.index, cmd.family)] };
  }
}
