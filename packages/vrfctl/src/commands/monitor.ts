// `vrfctl monitor [link|addr|route|rule|neigh|nexthop|all]… [--rcvbuf BYTES]`: one line per kernel event
// (`-j`: one JSON object per line) until SIGINT or SIGTERM (exit 0). When the kernel drops
// events it says so in the stream ("[LOST] N", N from the kernel's drop counter; -j:
// {"object":"lost","count":N}) and on stderr, dumps again and prints what the dump found
// changed since the monitor last knew: "[RESYNC] …" for new or changed objects, "[RESYNC] …
// Deleted …" for those gone. Drops are noticed both from ENOBUFS and from the socket's drop
// counter (SO_MEMINFO), checked after every burst and once a second when idle: the kernel
// reports ENOBUFS only once until the queue empties, and later drops would otherwise be silent.
import { NETLINK_ROUTE, type Message } from '@vrfctl/netlink';
import { listAddresses, listLinks, listNeighbours } from '@vrfctl/link';
import { RTNLGRP } from '@vrfctl/rtnetlink';
import { listRules } from '@vrfctl/rule';
import { listNexthops } from '@vrfctl/nexthop';
import { TimeoutError, openMonitor, openNetlink, runSync, type Monitor, type MonitorEvent, type NetlinkSocket } from '@vrfctl/socket';
import { allRoutes } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { writeOut } from '../stdout.js';
import type { GlobalOptions } from '../context.js';
import { numberFlag, parseCommandFlags } from '../batch-flags.js';
import {
  LinkDirectory, decodeEvent, eventJson, eventText, familyOf, type Decoded, type EventAction, type MonitorObject,
} from '../monitor-format.js';
import { MonitorState } from '../monitor-state.js';

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
  /** "[LOST] N": events the kernel dropped, said in the stream itself. */
  lost(count: number | undefined): void {
    this.out.push(this.opts.json ? JSON.stringify({ object: 'lost', count: count ?? null }) : `[LOST] ${count ?? 'unknown'}`);
  }
  /** One write per burst of events, not one per line. */
  flush(): void {
    if (this.out.length === 0) return;
    writeOut(this.out.join('\n') + '\n');
    this.out = [];
  }
}

/** Every monitored object as a fresh dump has it (and the link directory reset from it). */
function dumpAll(nl: NetlinkSocket, dir: LinkDirectory, objects: Set<MonitorObject>): Decoded[] {
  const links = runSync(nl, listLinks());
  dir.reset(links);
  const all: Decoded[] = [];
  if (objects.has('link')) for (const l of links) all.push({ object: 'link', value: l });
  if (objects.has('addr')) for (const a of runSync(nl, listAddresses())) all.push({ object: 'addr', value: a });
  if (objects.has('route')) for (const f of [4, 6] as const) for (const r of runSync(nl, allRoutes(f))) all.push({ object: 'route', value: r });
  if (objects.has('rule')) for (const f of [4, 6] as const) for (const r of runSync(nl, listRules(f))) all.push({ object: 'rule', value: r });
  if (objects.has('neigh')) for (const x of runSync(nl, listNeighbours())) all.push({ object: 'neigh', value: x });
  if (objects.has('nexthop')) for (const x of runSync(nl, listNexthops())) all.push({ object: 'nexthop', value: x });
  return all;
}

/** The kernel's drop count for the monitor's socket; undefined where the kernel does not say. */
function kernelDrops(monitor: Monitor): number | undefined {
  try {
    return monitor.socket.kernelDrops;
  } catch {
    return undefined;
  }
}

/** How often the drop counter is checked while no event comes (ms). */
const IDLE_CHECK_MS = 1000;

export async function run(args: string[], opts: GlobalOptions): Promise<number> {
  const { words, flags } = parseCommandFlags(args, { valued: ['rcvbuf'] });
  const objects = parseObjects(words);
  const rcvbuf = flags.has('rcvbuf') ? numberFlag(flags, 'rcvbuf', 1, 1 << 30, 0) : undefined;

  // Link events are always read: they keep device and VRF names current.
  const groups = [...new Set([RTNLGRP.LINK, ...[...objects].flatMap((o) => GROUPS[o])])];
  const monitor: Monitor = openMonitor(groups, { netns: opts.netns, rcvbuf, timeoutMs: IDLE_CHECK_MS });
  const nl = openNetlink(NETLINK_ROUTE, { netns: opts.netns });
  const dir = new LinkDirectory();
  const printer = new Printer(opts, dir, objects);
  const state = new MonitorState();

  let stopping = false;
  const stop = (): void => {
    stopping = true;
    monitor.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  /** One kernel event: the directory and the known state follow it, the printer prints it. */
  const print = (message: Message): void => {
    const e = decodeEvent(message);
    if (!e) return;
    const { decoded, deleted } = e;
    if (decoded.object === 'link') {
      if (deleted) dir.delete(decoded.value.index);
      else dir.set(decoded.value);
    }
    if (objects.has(decoded.object)) state.apply(decoded, deleted, dir);
    printer.add(decoded, deleted ? 'deleted' : 'new');
  };

  let seenDrops = kernelDrops(monitor);
  /** Events were lost: say how many in the stream, dump, print the difference. */
  const catchUp = (why: string): void => {
    // What the kernel queued before the loss came first: printed in order, and not again after the dump.
    for (let ev = monitor.receiveSync(1); ev !== undefined; ev = monitor.receiveSync(1)) if (ev.kind === 'message') print(ev.message);
    printer.flush();
    // Read before the dump: drops during it show up at the next check and cause another catch-up.
    const drops = kernelDrops(monitor);
    const lost = drops === undefined || seenDrops === undefined ? undefined : (drops - seenDrops) >>> 0;
    seenDrops = drops;
    printer.lost(lost);
    printer.flush();
    process.stderr.write(`vrfctl: monitor: ${lost ?? 'some'} event${lost === 1 ? '' : 's'} lost: ${why}; resyncing from a dump\n`);
    const diff = state.replace(dumpAll(nl, dir, objects), dir);
    for (const d of diff.gone) printer.add(d, 'resync-deleted');
    for (const d of diff.changed) printer.add(d, 'resync');
    printer.flush();
    process.stderr.write(`vrfctl: monitor: resync done (${diff.total} objects: ${diff.changed.length} new or changed, ${diff.gone.length} gone); following events again\n`);
  };
  const droppedSilently = (): boolean => {
    const drops = kernelDrops(monitor);
    return drops !== undefined && seenDrops !== undefined && drops !== seenDrops;
  };
  try {
    // What the kernel holds now, unprinted: the base later resyncs are told against.
    state.replace(dumpAll(nl, dir, objects), dir);
    while (!stopping) {
      // Take every event already queued before printing, so a burst costs one write.
      let first: IteratorResult<MonitorEvent> | undefined;
      try {
        first = await monitor.next();
      } catch (err) {
        if (!(err instanceof TimeoutError)) throw err;
      }
      if (first?.done) break;
      let ev: MonitorEvent | undefined = first?.value;
      while (ev) {
        if (ev.kind === 'overrun') {
          // libuv stops a poll handle that reports POLLERR (the ENOBUFS error) and the socket's
          // reactor does not re-arm it yet: re-register, or no event would ever arrive again.
          monitor.socket.setReading(false);
          monitor.socket.setReading(true);
          // The kernel reports ENOBUFS after the queued messages: the drop counter may already
          // have caught those drops up (checked after the burst); then there is nothing more to tell.
          if (seenDrops === undefined || droppedSilently()) catchUp('the receive buffer overran (ENOBUFS)');
        } else {
          print(ev.message);
        }
        ev = stopping ? undefined : monitor.receiveSync(0);
      }
      printer.flush();
      if (!stopping && droppedSilently()) catchUp('the kernel dropped them without an ENOBUFS report (its drop counter rose)');
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    monitor.close();
    nl.close();
  }
  return 0;
}
