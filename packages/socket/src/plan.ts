import type { Message } from '@vrfctl/netlink';
import type { AsyncNetlink, AsyncOptions, BatchResult, CallOptions, Request, SyncNetlink } from './types.js';

/**
 * An operation written once as a generator of netlink steps, run either synchronously (the CLI:
 * no event-loop round trips) or asynchronously (agents), so link/route/rule/vrf code exists once.
 */
export type Step =
  | { kind: 'ack'; req: Request }
  | { kind: 'request'; req: Request }
  | { kind: 'dump'; req: Request }
  | { kind: 'batch'; reqs: Request[] };

export type Plan<T> = Generator<Step, T, unknown>;

export function* ack(req: Request): Plan<void> {
  yield { kind: 'ack', req };
}
export function* request(req: Request): Plan<Message[]> {
  return (yield { kind: 'request', req }) as Message[];
}
export function* dump(req: Request): Plan<Message[]> {
  return (yield { kind: 'dump', req }) as Message[];
}
export function* batch(reqs: Request[]): Plan<BatchResult[]> {
  return (yield { kind: 'batch', reqs }) as BatchResult[];
}

/** A call's options over an object's defaults (`routes(nl, defaults).add(spec, call)`): the call wins. */
export function mergeOptions(defaults: CallOptions | undefined, call: CallOptions | undefined): CallOptions | undefined {
  if (!call) return defaults;
  if (!defaults) return call;
  return { ...defaults, ...call };
}

/** Plan makers by the name of the operation they are bound to (`add`, `list`, …). */
export type PlanMakers = Readonly<Record<string, (...args: never[]) => Plan<unknown>>>;
/** How many arguments each operation takes before its per-call options. */
export type Arity<P> = { readonly [K in keyof P]: number };
type PlanValue<R> = R extends Plan<infer T> ? T : never;
/** The makers bound to a socket and run synchronously: `ops.add(spec, call)`. */
export type SyncOps<P extends PlanMakers> = {
  [K in keyof P]: (...args: [...Parameters<P[K]>, CallOptions?]) => PlanValue<ReturnType<P[K]>>;
};
/** The same, run on the event loop. */
export type AsyncOps<P extends PlanMakers> = {
  [K in keyof P]: (...args: [...Parameters<P[K]>, CallOptions?]) => Promise<PlanValue<ReturnType<P[K]>>>;
};

/**
 * Each maker bound to run: `ops[name](...args, call)` runs `makers[name](...args)`, its first
 * arity[name] arguments, with the call's options over the defaults. The convenience APIs of
 * routes, rules, nexthops and links are this, over their plans, synchronous or asynchronous.
 */
export function bindPlans<R>(
  makers: PlanMakers,
  arity: Readonly<Record<string, number>>,
  run: (plan: Plan<unknown>, opts: CallOptions | undefined) => R,
  defaults?: CallOptions,
): Record<string, (...args: unknown[]) => R> {
  const out: Record<string, (...args: unknown[]) => R> = {};
  for (const [name, make] of Object.entries(makers)) {
    const n = arity[name];
    out[name] = (...args: unknown[]) => {
      const call = args.length > n ? (args[n] as CallOptions | undefined) : undefined;
      return run((make as (...a: unknown[]) => Plan<unknown>)(...args.slice(0, n)), mergeOptions(defaults, call));
    };
  }
  return out;
}

/** makers bound to nl, run synchronously; defaults ({signal, timeoutMs}) apply to every call. */
export function bindSync<P extends PlanMakers>(nl: SyncNetlink, makers: P, arity: Arity<P>, defaults?: CallOptions): SyncOps<P> {
  return bindPlans(makers, arity, (plan, opts) => runSync(nl, plan, opts), defaults) as SyncOps<P>;
}

/** makers bound to nl, run asynchronously; defaults apply to every call. */
export function bindAsync<P extends PlanMakers>(nl: AsyncNetlink, makers: P, arity: Arity<P>, defaults?: CallOptions): AsyncOps<P> {
  return bindPlans(makers, arity, (plan, opts) => runAsync(nl, plan, opts), defaults) as AsyncOps<P>;
}

/** Drives a plan, feeding each step's result back in and throwing its errors into the plan. */
export function runSync<T>(nl: SyncNetlink, plan: Plan<T>, opts?: CallOptions): T {
  let next = plan.next();
  while (!next.done) {
    const step = next.value;
    let result: unknown;
    try {
      result = performSync(nl, step, opts);
    } catch (err) {
      next = plan.throw(err);
      continue;
    }
    next = plan.next(result);
  }
  return next.value;
}

function performSync(nl: SyncNetlink, step: Step, opts?: CallOptions): unknown {
  switch (step.kind) {
    case 'ack': return nl.ack(step.req, opts);
    case 'request': return nl.request(step.req, opts);
    case 'dump': return nl.dump(step.req, opts);
    case 'batch': return nl.batch(step.reqs, opts);
  }
}

export async function runAsync<T>(nl: AsyncNetlink, plan: Plan<T>, opts?: AsyncOptions): Promise<T> {
  let next = plan.next();
  while (!next.done) {
    const step = next.value;
    let result: unknown;
    try {
      result = await performAsync(nl, step, opts);
    } catch (err) {
      next = plan.throw(err);
      continue;
    }
    next = plan.next(result);
  }
  return next.value;
}

function performAsync(nl: AsyncNetlink, step: Step, opts?: AsyncOptions): Promise<unknown> {
  switch (step.kind) {
    case 'ack': return nl.ackAsync(step.req, opts);
    case 'request': return nl.requestAsync(step.req, opts);
    case 'dump': return nl.dumpAsync(step.req, opts);
    case 'batch': return nl.batchAsync(step.reqs, opts);
  }
}
