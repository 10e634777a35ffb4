// A scripted SyncNetlink for host tests of the VRF plans: the host kernel has no vrf driver,
// so it cannot be asked to hold a VRF. Dumps return messages built with the real codecs;
// changes are recorded (as decoded JSON) and can be made to fail.
import { MessageBuilder, NetlinkError, parseMessages, type Message } from '@vrfctl/netlink';
import { RTM, encodeLink, messageToJson, type JsonAttribute, type JsonMessage, type Link } from '@vrfctl/rtnetlink';
import { encodeRequest, type BatchResult, type Request, type SyncNetlink } from '@vrfctl/socket';

export function vrfLink(index: number, name: string, table: number, up = true): Link {
  return {
    family: 0, type: 'ether', index, flags: up ? ['UP', 'LOWER_UP', 'MASTER', 'NOARP'] : ['MASTER', 'NOARP'], change: 0, ifname: name,
    operstate: up ? 'UP' : 'DOWN', linkinfo: { kind: 'vrf', data: { table, unknown: [] }, unknown: [] }, unknown: [],
  };
}

export function portLink(index: number, name: string, master?: number): Link {
  return {
    family: 0, type: 'ether', index, flags: ['UP', 'LOWER_UP', 'BROADCAST', 'MULTICAST'], change: 0, ifname: name, operstate: 'UP',
    ...(master !== undefined ? { master } : {}), unknown: [],
  };
}

/** The attributes of a decoded message. */
export function attrs(m: JsonMessage): JsonAttribute[] {
  return (m.attributes ?? []) as JsonAttribute[];
}

function linkMessages(links: readonly Link[]): Message[] {
  const b = new MessageBuilder(512);
  for (const l of links) {
    b.begin(RTM.NEWLINK, 2);
    encodeLink(b, l);
    b.end();
  }
  return parseMessages(Buffer.from(b.bytes));
}

export class FakeNetlink implements SyncNetlink {
  /** Every change sent, decoded. */
  readonly sent: JsonMessage[] = [];
  /** Links created through this fake (RTM_NEWLINK with a kind) get these indexes. */
  private nextIndex = 100;

  constructor(
    public links: Link[],
    /** Fails the change it returns an error for. */
    private readonly fail: (m: JsonMessage) => NetlinkError | undefined = () => undefined,
  ) {}

  private record(req: Request): JsonMessage {
    const json = messageToJson(encodeRequest(req));
    const err = this.fail(json);
    this.sent.push(json);
    if (err) throw err;
    return json;
  }

  ack(req: Request): void {
    const json = this.record(req);
    if (req.type === RTM.NEWLINK && JSON.stringify(json).includes('IFLA_INFO_KIND')) {
      const name = attrs(json).find((a) => a.type === 'IFLA_IFNAME')?.value as string;
      this.links.push(vrfLink(this.nextIndex++, name, 0));
    }
  }

  request(req: Request): Message[] {
    if (req.type !== RTM.GETLINK) throw new Error(`unexpected request type ${req.type}`);
    const json = messageToJson(encodeRequest(req));
    const name = attrs(json).find((a) => a.type === 'IFLA_IFNAME')?.value;
    const link = this.links.find((l) => l.ifname === name);
    if (!link) throw new NetlinkError(19);
    return linkMessages([link]);
  }

  dump(req: Request): Message[] {
    if (req.type === RTM.GETLINK) return linkMessages(this.links);
    return []; // no routes, addresses, neighbours or rules
  }

  batch(reqs: Iterable<Request>): BatchResult[] {
    return [...reqs].map((r) => {
      this.ack(r);
      return { ok: true, replies: [] } as BatchResult;
    });
  }

  /** The message types sent, e.g. ['RTM_NEWLINK', 'RTM_NEWROUTE'…]. */
  get types(): string[] {
    return this.sent.map((m) => String(m.header.type));
  }
}
