// `vrfctl monitor [link|addr|route|rule|neigh|nexthop|all]… [--rcvbuf BYTES]`: one line per kernel event
// (`-j`: one JSON object per line) until SIGINT or SIGTERM (exit 0). When the kernel drops
// events (receive buffer overrun, ENOBUFS) it says so on stderr, prints the current state as
// "[RESYNC]" lines from fresh dumps, and goes on.
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { listAddresses, listLinks, listNeighbours } from '@vrfctl/link';
import { RTNLGRP } from '@vrfctl/rtnetlink';
import { listRules } from '@vrfctl/rule';
import { listNexthops } from '@vrfctl/nexthop';
import { openMonitor, openNetlink, runSync, type Monitor, type NetlinkSocket } from '@vrfctl/socket';
import { allRoutes } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import { numberFlag, parseCommandFlags } from '../batch-flags.js';
import {
  LinkDirectory, decodeEvent, eventJson, eventText, familyOf, type Decoded, type EventAction, type MonitorObject,
} from '../monitor-format.js';

const USAGE = 'usage: vrfctl monitor [link|addr|route|rule|neigh|nexthop|all]… [--rcvbuf BYTES]';
const OBJECTS: readonly MonitorObject[] = ['link', 'addr', 'route', 'rule', 'neigh', 'nexthop'];

const GROUPS: Record<MonitorObject, readonly number[]> = {
  link: [RTNLGRP.LINK],
  addr: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  route: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
  rule: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  neigh: [RTNLGRP.NEIGH],
  nexthop: [RTNLGRP.NEXTHOP],
};

function parseObjects(words: readonly string[]): Set<MonitorObject> {
  const chosen = new Set<MonitorObject>();
  for (const w of words) {
    if (w === 'all') OBJECTS.forEach((o) => chosen.add(o));
    else if ((OBJECTS as readonly string[]).includes(w)) chosen.add(w as MonitorObject);
    else if (w === 'address') chosen.add('addr');
    else if (w === 'neighbour' || w === 'neighbor') chosen.add('neigh');
    else throw new UsageError(`unknown object "${w}"; ${USAGE}`);
  }
  if (chosen.size === 0) OBJECTS.forEach((o) => chosen.add(o));
  return chosen;
}

class Printer {
  private out: string[] = [];
  constructor(private readonly opts: GlobalOptions, private readonly dir: LinkDirectory, private readonly objects: Set<MonitorObject>) {}

  add(d: Decoded, action: EventAction): void {
    if (!this.objects.has(d.object)) return;
    const family = familyOf(d);
    if (this.opts.family !== undefined && family !== undefined && family !== this.opts.family) return;
    this.out.push(this.opts.json ? JSON.stringify(eventJson(d, action, this.dir)) : eventText(d, action, this.dir));
  }
  /** One write per burst of events, not one per line. */
  flush(): void {
    if (this.out.length === 0) return;
    process.stdout.write(this.out.join('\n') + '\n');
    this.out = [];
  }
}

/** Prints the current state of every monitored object, marked as a resync. Returns how many. */
function resync(nl: NetlinkSocket, dir: LinkDirectory, objects: Set<MonitorObject>, printer: Printer): number {
  const links = runSync(nl, listLinks());
  dir.reset(links);
  let n = 0;
  const add = (d: Decoded): void => {
    printer.add(d, 'resync');
    n++;
  };
  if (objects.has('link')) for (const l of links) add({ object: 'link', value: l });
  if (objects.has('addr')) for (const a of runSync(nl, listAddresses())) add({ object: 'addr', value: a });
  if (objects.has('route')) for (const f of [4, 6] as const) for (const r of runSync(nl, allRoutes(f))) add({ object: 'route', value: r });
  if (objects.has('rule')) for (const f of [4, 6] as const) for (const r of runSync(nl, listRules(f))) add({ object: 'rule', value: r });
  if (objects.has('neigh')) for (const x of runSync(nl, listNeighbours())) add({ object: 'neigh', value: x });
  if (objects.has('nexthop')) for (const x of runSync(nl, listNexthops())) add({ object: 'nexthop', value: x });
  return n;
}

export async function run(args: string[], opts: GlobalOptions): Promise<number> {
  const { words, flags } = parseCommandFlags(args, { valued: ['rcvbuf'] });
  const objects = parseObjects(words);
  const rcvbuf = flags.has('rcvbuf') ? numberFlag(flags, 'rcvbuf', 1, 1 << 30, 0) : undefined;

  // Link events are always read: they keep device and VRF names current.
  const groups = [...new Set([RTNLGRP.LINK, ...[...objects].flatMap((o) => GROUPS[o])])];
  const monitor: Monitor = openMonitor(groups, { netns: opts.netns, rcvbuf });
  const nl = openNetlink(NETLINK_ROUTE, { netns: opts.netns });
  const dir = new LinkDirectory();
  const printer = new Printer(opts, dir, objects);

  let stopping = false;
  const stop = (): void => {
    stopping = true;
    monitor.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A reader that went away (`| head`) ends the monitor quietly.
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE') stop();
  };
  process.stdout.on('error', onError);
  try {
    dir.reset(runSync(nl, listLinks()));
    for (;;) {
      // Take every event already queued before printing, so a burst costs one write.
      const first = await monitor.next();
      if (first.done) break;
      let ev: typeof first.value | undefined = first.value;
      while (ev) {
        if (ev.kind === 'overrun') {
          // libuv stops a poll handle that reports POLLERR (the ENOBUFS error) and the socket's
          // reactor does not re-arm it yet: re-register, or no event would ever arrive again.
          monitor.socket.setReading(false);
          monitor.socket.setReading(true);
          printer.flush();
          process.stderr.write('vrfctl: monitor: events lost: the receive buffer overran (ENOBUFS); resyncing from a dump\n');
          const n = resync(nl, dir, objects, printer);
          printer.flush();
          process.stderr.write(`vrfctl: monitor: resync done (${n} objects); following events again\n`);
        } else {
          const e = decodeEvent(ev.message);
          if (e) {
            const { decoded, deleted } = e;
            if (decoded.object === 'link') {
              if (deleted) dir.delete(decoded.value.index);
              else dir.set(decoded.value);
            }
            printer.add(decoded, deleted ? 'deleted' : 'new');
          }
        }
        ev = stopping ? undefined : monitor.receiveSync(0);
      }
      printer.flush();
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    process.stdout.removeListener('error', onError);
    monitor.close();
    nl.close();
  }
  return 0;
}
