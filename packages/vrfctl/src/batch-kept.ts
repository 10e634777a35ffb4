// The first pass of a batch, kept for the second when the file is not too long, so that it is
// read and parsed once: a route line of the common shape is kept as its payload, its text and a
// few numbers in shared buffers (objects per line cost some 600 bytes each and the garbage
// collector's time), any other line as parsed. Past the limits nothing more is kept and the
// second pass reads the file again, so a batch of any length stays in bounded memory.
import { SIMPLE_OIF_LEN } from '@vrfctl/route';
import type { GlobalOptions } from './context.js';
import type { BatchLine } from './batch-input.js';
import { parseBatchLine, parseSimpleRoute, type ParsedLine } from './batch-lines.js';
import { CompactLine, PayloadRequest } from './batch-compact.js';

/** At most this many lines are kept… */
export const KEEP_LINES = 1 << 17;
/** …and this many bytes of payloads and texts. */
const KEEP_BYTES = 16 << 20;

// A kept line's fields in `records`.
const OFFSET = 0; // of the payload in `bytes` (with room for RTA_OIF after it when there is a device), then the text's UTF-8
const LENGTH = 1; // of the payload, room included
const TEXT = 2; // bytes of text after the payload
const TYPE = 3;
const FLAGS = 4;
const LINE = 5;
const DEV = 6; // index in devs, -1 without a device, -2: the line is in `parsed`
const FIELDS = 7;

const NO_WORDS: string[] = [];

export class KeptBatch {
  private records = new Int32Array(FIELDS * 1024);
  private bytes = Buffer.allocUnsafe(64 << 10);
  private used = 0;
  private count = 0;
  private readonly parsed = new Map<number, ParsedLine>();
  private readonly devs: string[] = [];
  private readonly devIndex = new Map<string, number>();

  /** Checks l and keeps it; false (l checked, not kept) once the limits are reached: drop this then. */
  add(l: BatchLine, opts: GlobalOptions): boolean {
    const simple = parseSimpleRoute(l, opts);
    const full = this.count >= KEEP_LINES || this.used >= KEEP_BYTES;
    if (simple === undefined) {
      const line = parseBatchLine(l, opts);
      if (full) return false;
      this.record(0, 0, 0, 0, 0, l.line, -2);
      this.parsed.set(this.count - 1, line);
      return true;
    }
    if (full) return false;
    const room = simple.dev === undefined ? 0 : SIMPLE_OIF_LEN;
    const n = simple.length;
    const at = this.reserve(n + room + l.text.length * 3);
    // A loop, not set(subarray): a view per copy costs more than copying some 50 bytes.
    for (let i = 0; i < n; i++) this.bytes[at + i] = simple.bytes[i];
    // The text as bytes: kept as strings, the lines' texts held every block read (45 MB more RSS).
    const text = this.bytes.write(l.text, at + n + room);
    this.used = at + n + room + text;
    this.record(at, n + room, text, simple.type, simple.flags, l.line, simple.dev === undefined ? -1 : this.dev(simple.dev));
    return true;
  }

  /** The kept lines in order, parsed; each payload is its own bytes here (RTA_OIF is written into them). */
  *lines(): Generator<ParsedLine> {
    const r = this.records;
    for (let i = 0; i < this.count; i++) {
      const f = i * FIELDS;
      const dev = r[f + DEV];
      if (dev === -2) {
        const line = this.parsed.get(i)!;
        this.parsed.delete(i);
        yield line;
        continue;
      }
      const at = r[f + OFFSET];
      const end = at + r[f + LENGTH];
      const payload = this.bytes.subarray(at, end);
      const text = this.bytes.toString('utf8', end, end + r[f + TEXT]);
      yield new CompactLine({ line: r[f + LINE], text, words: NO_WORDS }, new PayloadRequest(r[f + TYPE], r[f + FLAGS], payload), dev === -1 ? undefined : this.devs[dev]);
    }
  }

  private record(offset: number, length: number, text: number, type: number, flags: number, line: number, dev: number): void {
    if ((this.count + 1) * FIELDS > this.records.length) {
      const bigger = new Int32Array(this.records.length * 2);
      bigger.set(this.records);
      this.records = bigger;
    }
    const f = this.count * FIELDS;
    const r = this.records;
    r[f + OFFSET] = offset;
    r[f + LENGTH] = length;
    r[f + TEXT] = text;
    r[f + TYPE] = type;
    r[f + FLAGS] = flags;
    r[f + LINE] = line;
    r[f + DEV] = dev;
    this.count++;
  }

  /** Where n more bytes go (4-aligned, as netlink payloads are). */
  private reserve(n: number): number {
    const at = (this.used + 3) & ~3;
    if (at + n > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, at + n));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    return at;
  }

  private dev(name: string): number {
    let i = this.devIndex.get(name);
    if (i === undefined) {
      i = this.devs.push(name) - 1;
      this.devIndex.set(name, i);
    }
    return i;
  }
}
