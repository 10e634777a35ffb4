// What the monitor has told its reader the kernel holds, object by object, so that after lost
// events (an overrun, or drops the kernel counted without reporting) a fresh dump is printed as
// the difference it makes — what appeared or changed, what went away — instead of the whole
// state, and nothing that happened in the gap is silently missing from the stream.
import { eventText, type Decoded, type LinkDirectory } from './monitor-format.js';

interface Known {
  decoded: Decoded;
  /** What a change is judged by (the 'new' text; for addresses their identity, lifetimes tick). */
  text: string;
}

function identity(d: Decoded, text: string): string {
  switch (d.object) {
    case 'link':
      return `link ${d.value.index}`;
    case 'neigh':
      return `neigh ${d.value.family} ${d.value.index} ${d.value.dst ?? ''}`;
    case 'addr':
      return `addr ${d.value.family} ${d.value.index} ${d.value.local ?? d.value.address ?? ''}/${d.value.prefixlen}`;
    default:
      // Routes, rules and nexthops: what the line says is what the object is.
      return text;
  }
}

export interface StateDiff {
  /** New or changed since last known. */
  changed: Decoded[];
  gone: Decoded[];
  total: number;
}

export class MonitorState {
  private known = new Map<string, Known>();

  private key(d: Decoded, dir: LinkDirectory): [string, string] {
    const text = eventText(d, 'new', dir);
    const id = identity(d, text);
    return [id, d.object === 'addr' ? id : text];
  }

  /** A kernel event, as it is printed. */
  apply(d: Decoded, deleted: boolean, dir: LinkDirectory): void {
    const [id, text] = this.key(d, dir);
    if (deleted) this.known.delete(id);
    else this.known.set(id, { decoded: d, text });
  }

  /** Takes a full dump as the new state; returns how it differs from what was known. */
  replace(current: readonly Decoded[], dir: LinkDirectory): StateDiff {
    const next = new Map<string, Known>();
    for (const d of current) {
      const [id, text] = this.key(d, dir);
      next.set(id, { decoded: d, text });
    }
    const changed: Decoded[] = [];
    const gone: Decoded[] = [];
    for (const [id, k] of this.known) if (!next.has(id)) gone.push(k.decoded);
    for (const [id, k] of next) if (this.known.get(id)?.text !== k.text) changed.push(k.decoded);
    this.known = next;
    return { changed, gone, total: next.size };
  }
}
