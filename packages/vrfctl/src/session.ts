import { NETLINK_ROUTE, toHex } from '@vrfctl/netlink';
import { openNetlink, RecordingNetlink, runSync, type NetlinkSocket, type Plan, type SyncNetlink } from '@vrfctl/socket';
import { writeLine, type GlobalOptions } from './context.js';

/**
 * The netlink connection of one CLI command: a real socket (in --netns when given), or with
 * --dry-run a recorder that still reads through the socket but prints the changes instead.
 */
export class Session {
  private socket?: NetlinkSocket;
  private recorder?: RecordingNetlink;

  constructor(readonly opts: GlobalOptions) {}

  get nl(): SyncNetlink {
    this.socket ??= openNetlink(NETLINK_ROUTE, { netns: this.opts.netns });
    if (!this.opts.dryRun) return this.socket;
    this.recorder ??= new RecordingNetlink(this.socket);
    return this.recorder;
  }

  run<T>(plan: Plan<T>): T {
    return runSync(this.nl, plan);
  }

  /** Prints what a dry run recorded: hex lines with --hex, else one readable line per request. */
  flush(): void {
    if (!this.recorder) return;
    const describe = this.opts.hex ? toHex : this.opts.describeRequest;
    if (describe === undefined) throw new Error('a --dry-run without --hex needs opts.describeRequest (main sets it)');
    for (const req of this.recorder.recorded) writeLine(describe(req));
    this.recorder.recorded.length = 0;
  }

  close(): void {
    this.flush();
    this.socket?.close();
    this.socket = undefined;
  }
}

/** Runs body with a session and always closes it (printing a dry run's requests). */
export function withSession<T>(opts: GlobalOptions, body: (s: Session) => T): T {
  const s = new Session(opts);
  try {
    return body(s);
  } finally {
    s.close();
  }
}
