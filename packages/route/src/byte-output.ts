// Output written as bytes into 64 KiB chunks: printing a large dump this way builds no JS string
// per route (strings concatenated per route, then encoded, were most of the GC of `route show`).

const CHUNK = 1 << 16;

/** Decimal text of 0..255, for dotted quads and small numbers. */
const OCTETS: readonly Uint8Array[] = Array.from({ length: 256 }, (_, i) => Buffer.from(String(i), 'latin1'));

export class ByteOutput {
  private buf = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private readonly done: Buffer[] = [];

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) this.done.push(this.buf.subarray(0, this.pos));
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.pos = 0;
  }

  /** Bytes made once (keys, words, cached names): copied by hand, short copies are most. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.room(n);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = b[i];
    this.pos = p;
  }

  /** Any string, as UTF-8. */
  text(s: string): void {
    this.room(Buffer.byteLength(s));
    this.pos += this.buf.write(s, this.pos);
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  /** An unsigned 32-bit number in decimal. */
  decimal(n: number): void {
    if (n < 256) this.bytes(OCTETS[n]);
    else this.text(String(n));
  }

  /** buf[at..at+4) as a dotted quad, digits written in place (once or twice per route). */
  ipv4(src: Uint8Array, at: number): void {
    this.room(15);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < 4; i++) {
      const v = src[at + i];
      if (i > 0) buf[p++] = 0x2e; // '.'
      if (v >= 100) {
        buf[p++] = 0x30 + ((v / 100) | 0);
        buf[p++] = 0x30 + (((v / 10) | 0) % 10);
      } else if (v >= 10) buf[p++] = 0x30 + ((v / 10) | 0);
      buf[p++] = 0x30 + (v % 10);
    }
    this.pos = p;
  }

  /** Every byte written so far, in order (the builder is spent afterwards). */
  chunks(): Buffer[] {
    if (this.pos > 0) this.done.push(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.buf = Buffer.allocUnsafe(0);
    return this.done;
  }
}
