// `vrfctl route show|list|add|replace|append|prepend|change|del|get|flush …`: `ip route` syntax,
// text and `-j` output as iproute2 6.1 prints them; --dry-run prints the requests instead.
import { NetlinkError, type Message } from '@vrfctl/netlink';
import {
  formatRoute, linkNameMap, parseRouteCommand, printOptionsFor, resolvedFilter, routeCommandPlan, routeDumpRequest, routeOfDump,
  routeToJson, type PrintOptions, type Route, type RouteFilter,
} from '@vrfctl/route';
import { DumpInterrupted, type Request } from '@vrfctl/socket';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession, type Session } from '../session.js';

function printRoutes(routes: readonly Route[], opts: GlobalOptions, print: PrintOptions): void {
  if (opts.json) printJson(routes.map((r) => routeToJson(r, print)), opts);
  else for (const r of routes) writeLine(formatRoute(r, print));
}

/** ifindex -> name, fetched only when some route names a device. */
function namesFor(s: Session, routes: readonly Route[]): Map<number, string> {
  const used = routes.some((r) => r.oif !== undefined || r.iif !== undefined || r.multipath?.length);
  return used ? s.run(linkNameMap()) : new Map();
}

/** Output held as bytes (off the JS heap) until the dump is complete, then written at once. */
class HeldOutput {
  private pending = '';
  private readonly chunks: Buffer[] = [];
  add(text: string): void {
    this.pending += text;
    if (this.pending.length >= 1 << 16) this.seal();
  }
  private seal(): void {
    this.chunks.push(Buffer.from(this.pending));
    this.pending = '';
  }
  write(): void {
    this.seal();
    for (const c of this.chunks) process.stdout.write(c);
  }
}

type StreamingNetlink = { dumpEach(req: Request, onMessage: (m: Message) => void): void };

/**
 * `route show` decoded, filtered and formatted message by message: no Message[], Route[] or
 * array of JSON objects is ever held, only the output bytes. Those are written once the dump
 * is complete, because an NLM_F_DUMP_INTR dump must not show: then this returns false and the
 * caller runs the buffered plan, whose dump() retries. The JSON is built to be byte-identical
 * to JSON.stringify of the whole array (with -p: indent 4, elements one level deeper).
 */
function streamList(s: Session, filter: RouteFilter, opts: GlobalOptions): boolean {
  const nl = s.nl as unknown as Partial<StreamingNetlink>;
  if (typeof nl.dumpEach !== 'function') return false; // --dry-run's recorder: buffered path
  const f = s.run(resolvedFilter(filter));
  // Names up front: a link dump cannot run on this socket while the route dump does.
  const print = printOptionsFor(filter, s.run(linkNameMap()));
  const out = new HeldOutput();
  let first = true;
  const onMessage = (m: Message): void => {
    const r = routeOfDump(m, f);
    if (r === undefined) return;
    if (!opts.json) out.add(formatRoute(r, print) + '\n');
    else if (!opts.pretty) out.add((first ? '[' : ',') + JSON.stringify(routeToJson(r, print)));
    else out.add((first ? '[\n    ' : ',\n    ') + JSON.stringify(routeToJson(r, print), null, 4).replace(/\n/g, '\n    '));
    first = false;
  };
  try {
    nl.dumpEach(routeDumpRequest(f), onMessage);
  } catch (err) {
    if (err instanceof DumpInterrupted) return false;
    throw err;
  }
  if (opts.json) out.add(first ? '[]\n' : opts.pretty ? '\n]\n' : ']\n');
  out.write();
  return true;
}

export function run(args: string[], opts: GlobalOptions): number {
  // Parse (and so check) every word before the socket opens.
  const cmd = parseRouteCommand(args, { family: opts.family });
  return withSession(opts, (s) => {
    if (cmd.kind === 'list' && streamList(s, cmd.filter, opts)) return 0;
    const result = s.run(routeCommandPlan(cmd));
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
        // Routes already gone (ESRCH) are what a flush wants; anything else is reported.
        const real = result.result.failed.filter((f) => (f.error as { code?: string }).code !== 'ESRCH');
        if (real.length > 0) {
          const { route, error } = real[0];
          const total = result.result.failed.length + result.result.deleted.length;
          const context = `deleting ${formatRoute(route, { names: namesFor(s, [route]) }).trim()}; ${real.length} of ${total} deletes failed`;
          // Still a NetlinkError, so the usual one line (and the CAP_NET_ADMIN hint on EPERM) applies.
          if (error instanceof NetlinkError) {
            throw new NetlinkError(error.errno, { ...error.extack, message: [error.extack.message, context].filter(Boolean).join('; ') }, error.seq);
          }
          throw new Error(`${error.message} (${context})`);
        }
        return 0;
      }
    }
  });
}
