// `vrfctl nexthop add|replace|del|show|get|flush|bucket show|bucket get …`: `ip nexthop` syntax,
// text and `-j` output as iproute2 6.1 prints them; --dry-run prints the requests instead.
import { NetlinkError } from '@vrfctl/netlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { linkNameMap } from '@vrfctl/route';
import {
  bucketJson, formatBucket, formatNexthop, jsonText, nexthopCommandPlan, nexthopJson, parseNexthopCommand, type Nexthop,
} from '@vrfctl/nexthop';
import { UsageError } from '../errors.js';
import { writeLine, type GlobalOptions } from '../context.js';
import { withSession, type Session } from '../session.js';

/** ifindex -> name, fetched only when some nexthop names a device. */
function namesFor(s: Session, list: readonly Nexthop[]): Map<number, string> {
  return list.some((n) => n.oif) ? s.run(linkNameMap()) : new Map();
}

export function run(args: string[], opts: GlobalOptions): number {
  let cmd;
  try {
    // Parse (and so check) every word before the socket opens.
    cmd = parseNexthopCommand(args, { family: opts.family });
  } catch (err) {
    if (err instanceof ArgumentError) throw new UsageError(err.message);
    throw err;
  }
  return withSession(opts, (s) => {
    const result = s.run(nexthopCommandPlan(cmd));
    const indent = opts.pretty ? 4 : 0;
    switch (result.kind) {
      case 'change':
        return 0;
      case 'list': {
        const names = namesFor(s, result.nexthops);
        if (opts.json) writeLine(jsonText(result.nexthops.map((n) => nexthopJson(n, { names })), indent));
        else for (const n of result.nexthops) writeLine(formatNexthop(n, { names }));
        return 0;
      }
      case 'buckets':
        if (opts.json) writeLine(jsonText(result.buckets.map(bucketJson), indent));
        else for (const b of result.buckets) writeLine(formatBucket(b));
        return 0;
      case 'flush': {
        const { deleted, failed } = result.result;
        if (failed.length > 0) {
          const { nexthop, error } = failed[0];
          const context = `deleting nexthop ${nexthop.id}; ${failed.length} of ${failed.length + deleted.length} deletes failed`;
          if (error instanceof NetlinkError) {
            throw new NetlinkError(error.errno, { ...error.extack, message: [error.extack.message, context].filter(Boolean).join('; ') }, error.seq);
          }
          throw new Error(`${error.message} (${context})`);
        }
        // ip says how many went, except for `flush id N`; a dry run shows the requests instead.
        if (!result.byId && !opts.dryRun) writeLine(deleted.length === 0 ? 'Nothing to flush' : `Flushed ${deleted.length} nexthops`);
        return 0;
      }
    }
  });
}
