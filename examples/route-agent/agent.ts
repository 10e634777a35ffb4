// A small routing agent on the library: install the routes it wants in one batch, watch route
// events until its AbortSignal fires, and put back what was taken away, reading the kernel's
// state again (reconciling) whenever events were lost (an overrun) or an answer was.
//
//   node agent.js NETNS [COUNT]     (stops on SIGTERM/SIGINT)
//
// It prints one JSON line per step, for the test that runs it (test/examples.test.ts).
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { RTM, RTNLGRP, decodeRoute } from '@vrfctl/rtnetlink';
import { UnknownOutcomeError, openMonitor, openNetlink } from '@vrfctl/socket';
import { routesAsync, type RouteSpec } from '@vrfctl/route';

const TABLE = 100;
const netns = process.argv[2];
const count = Number(process.argv[3] ?? 200);
if (!netns) throw new Error('usage: agent NETNS [COUNT]');

function say(event: string, detail: Record<string, unknown> = {}): void {
  process.stdout.write(JSON.stringify({ event, ...detail }) + '\n');
}

/** What the agent wants in the kernel: COUNT blackhole routes in table 100. */
const desired = new Map<string, RouteSpec>();
for (let i = 0; i < count; i++) {
  const dst = `10.${100 + (i >> 8)}.${i & 255}.0/24`;
  desired.set(dst, { dst, type: 'blackhole', table: TABLE, protocol: 'static' });
}

const stop = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => stop.abort(new Error(sig)));

const nl = openNetlink(NETLINK_ROUTE, { netns });
const routes = routesAsync(nl, { timeoutMs: 10_000 });

/** Reads table 100 and adds what is missing: the one way back to a known state. */
async function reconcile(reason: string): Promise<void> {
  const present = new Set((await routes.list({ table: TABLE })).map((r) => r.dst));
  const missing = [...desired.values()].filter((s) => !present.has(s.dst));
  if (missing.length === 0) {
    say('reconciled', { reason, added: 0 });
    return;
  }
  const results = await routes.batch('replace', missing);
  const unknown = results.filter((r) => !r.ok && r.error instanceof UnknownOutcomeError).length;
  const failed = results.filter((r) => !r.ok && !(r.error instanceof UnknownOutcomeError));
  for (const f of failed) if (!f.ok) say('error', { message: f.error.message });
  say('reconciled', { reason, added: results.length - unknown - failed.length, unknown });
  // An answer lost to an overrun says nothing about the kernel: read it again.
  if (unknown > 0) await reconcile('unknown outcome');
}

// Watch first, then install: no event between the two can be missed. The small receive
// buffer makes a burst of events overflow it, so the overrun path is the one a test sees.
const events = openMonitor([RTNLGRP.IPV4_ROUTE], { netns, rcvbuf: 4096, signal: stop.signal });
const installed = await routes.batch('replace', [...desired.values()]);
say('installed', { ok: installed.filter((r) => r.ok).length, failed: installed.filter((r) => !r.ok).length });

let pending: Promise<void> | null = null;
let again = false;
function schedule(reason: string): void {
  // One reconcile at a time; events during one lead to one more afterwards.
  if (pending) {
    again = true;
    return;
  }
  pending = reconcile(reason).finally(() => {
    pending = null;
    if (again) {
      again = false;
      schedule('events during the last reconcile');
    }
  });
}

let overruns = 0;
for await (const ev of events) {
  if (ev.kind === 'overrun') {
    overruns++;
    say('overrun');
    schedule('overrun');
    continue;
  }
  if (ev.message.header.type !== RTM.DELROUTE) continue;
  const route = decodeRoute(ev.message);
  if (route.table === TABLE && route.dst !== undefined && desired.has(route.dst)) schedule(`deleted ${route.dst}`);
}
// The loop ends when the signal fires (the monitor closes itself).
await pending;
nl.close();
say('stopped', { overruns, reason: String(stop.signal.reason) });
