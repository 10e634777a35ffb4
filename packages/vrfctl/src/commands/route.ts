// `vrfctl route show|list|add|replace|append|prepend|change|del|get|flush …`: `ip route` syntax,
// text and `-j` output as iproute2 6.1 prints them; --dry-run prints the requests instead.
import { NetlinkError } from '@vrfctl/netlink';
import {
  formatRoute, linkNameMap, parseRouteCommand, printOptionsFor, routeCommandPlan, routeToJson, type PrintOptions, type Route,
} from '@vrfctl/route';
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

export function run(args: string[], opts: GlobalOptions): number {
  // Parse (and so check) every word before the socket opens.
  const cmd = parseRouteCommand(args, { family: opts.family });
  return withSession(opts, (s) => {
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
