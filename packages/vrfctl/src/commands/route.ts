// `vrfctl route show|list|add|replace|append|prepend|change|del|get|flush …`: `ip route` syntax,
// text and `-j` output as iproute2 6.1 prints them; --dry-run prints the requests instead.
import { NetlinkError, kernelError, type Message } from '@vrfctl/netlink';
import {
  ByteOutput, WireRoutePrinter, formatRoute, linkNameMap, parseRouteCommand, printOptionsFor, resolvedFilter, routeCommandPlan, routeDumpRequest, routeOfDump,
  routeToJson, wireSelectable, type PrintOptions, type Route, type RouteFilter,
} from '@vrfctl/route';
import { DumpInterrupted, type Request } from '@vrfctl/socket';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession, type Session } from '../session.js';
import { writeOut } from '../stdout.js';

function printRoutes(routes: readonly Route[], opts: GlobalOptions, print: PrintOptions): void {
  if (opts.json) printJson(routes.map((r) => routeToJson(r, print)), opts);
  else for (const r of routes) writeLine(formatRoute(r, print));
}

/** ifindex -> name, fetched only when some route names a device. */
function namesFor(s: Session, routes: readonly Route[]): Map<number, string> {
  const used = routes.some((r) => r.oif !== undefined || r.iif !== undefined || r.multipath?.length);
  return used ? s.run(linkNameMap()) : new Map();
}

type StreamingNetlink = { dumpEach(req: Request, onMessage: (m: Message) => void): void };

/**
 * `route show` decoded, filtered and formatted message by message: no Message[] or Route[] is
 * ever held, only the output bytes (off the JS heap). Those are written once the dump is
 * complete, because an NLM_F_DUMP_INTR dump must not show: then this returns false and the
 * caller runs the buffered plan, whose dump() retries. Common routes are printed straight from
 * their bytes (WireRoutePrinter); the rest through the Route model, each as the whole-array
 * JSON.stringify would (with -p: indent 4, elements one level deeper).
 */
function streamList(s: Session, filter: RouteFilter, opts: GlobalOptions): boolean {
  const nl = s.nl as unknown as Partial<StreamingNetlink>;
  if (typeof nl.dumpEach !== 'function') return false; // --dry-run's recorder: buffered path
  const f = s.run(resolvedFilter(filter));
  // Names up front: a link dump cannot run on this socket while the route dump does.
  const print = printOptionsFor(filter, s.run(linkNameMap()));
  const out = new ByteOutput();
  const wire = opts.pretty || !wireSelectable(f) ? undefined : new WireRoutePrinter(f, print, opts.json === true);
  // JSON array punctuation, written before a route only once it is known to print.
  const open = Buffer.from(!opts.json ? '' : opts.pretty ? '[\n    ' : '[');
  const comma = Buffer.from(!opts.json ? '' : opts.pretty ? ',\n    ' : ',');
  let first = true;
  const onMessage = (m: Message): void => {
    const lead = first ? open : comma;
    const done = wire ? wire.print(m, out, lead) : 'other';
    if (done === 'skipped') return;
    if (done === 'other') {
      const r = routeOfDump(m, f);
      if (r === undefined) return;
      out.bytes(lead);
      if (!opts.json) out.text(`${formatRoute(r, print)}\n`);
      else if (!opts.pretty) out.text(JSON.stringify(routeToJson(r, print)));
      else out.text(JSON.stringify(routeToJson(r, print), null, 4).replace(/\n/g, '\n    '));
    }
    first = false;
  };
  try {
    nl.dumpEach(routeDumpRequest(f), onMessage);
  } catch (err) {
    if (err instanceof DumpInterrupted) return false;
    throw err;
  }
  if (opts.json) out.text(first ? '[]\n' : opts.pretty ? '\n]\n' : ']\n');
  for (const c of out.chunks()) writeOut(c);
  return true;
}

const RT_TABLE_MAIN = 254;

/**
 * `ip route show` of the main table when the kernel has none yet (a fresh netns: ENOENT, "FIB
 * table does not exist") prints nothing and exits 0; any other missing table is an error (exit 2).
 */
function mainTableMissing(s: Session, filter: RouteFilter, err: unknown): boolean {
  if (!(err instanceof NetlinkError) || err.code !== 'ENOENT') return false;
  return s.run(resolvedFilter(filter)).table === RT_TABLE_MAIN;
}

export function run(args: string[], opts: GlobalOptions): number {
  // Parse (and so check) every word before the socket opens.
  const cmd = parseRouteCommand(args, { family: opts.family });
  return withSession(opts, (s) => {
    if (cmd.kind === 'list') {
      try {
        if (streamList(s, cmd.filter, opts)) return 0;
      } catch (err) {
        if (!mainTableMissing(s, cmd.filter, err)) throw err;
        printRoutes([], opts, { names: new Map() });
        return 0;
      }
    }
    let result;
    try {
      result = s.run(routeCommandPlan(cmd));
    } catch (err) {
      if (cmd.kind !== 'list' || !mainTableMissing(s, cmd.filter, err)) throw err;
      printRoutes([], opts, { names: new Map() });
      return 0;
    }
    switch (result.kind) {
      case 'change':
        return 0;
      case 'list': {
        const filter = cmd.kind === 'list' ? cmd.filter : {};
        printRoutes(result.routes, opts, printOptionsFor(filter, namesFor(s, result.routes)));
        return 0;
      }
      case 'get':
        // A lookup result is printed with nothing hidden, as `ip route get` does.
        printRoutes([result.route], opts, { names: namesFor(s, [result.route]) });
        return 0;
      case 'flush': {
        // A table that does not exist: ip says "FIB table does not exist" and exits 2.
        if (result.result.tableMissing) throw result.result.tableMissing;
        // Routes already gone (ESRCH) are what a flush wants; anything else is reported.
        const real = result.result.failed.filter((f) => (f.error as { code?: string }).code !== 'ESRCH');
        if (real.length > 0) {
          const { route, error } = real[0];
          const total = result.result.failed.length + result.result.deleted.length;
          const context = `deleting ${formatRoute(route, { names: namesFor(s, [route]) }).trim()}; ${real.length} of ${total} deletes failed`;
          // Still a NetlinkError, so the usual one line (and the CAP_NET_ADMIN hint on EPERM) applies.
          if (error instanceof NetlinkError) {
            throw kernelError(error.errno, { ...error.extack, message: [error.extack.message, context].filter(Boolean).join('; ') }, error.seq);
          }
          throw new Error(`${error.message} (${context})`);
        }
        return 0;
      }
    }
  });
}
