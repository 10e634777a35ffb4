// The public shape of a fixed-size C struct codec. The structs are built with buffer-layout,
// which ships no types: the package's declaration of it stays private (src/buffer-layout.d.ts),
// so the published .d.ts name only this interface and compile in a consumer's strict project.

/** Reads and writes one C struct of a fixed size (span bytes) at an offset of a buffer. */
export interface FixedLayout<T> {
  readonly span: number;
  decode(b: Buffer, offset?: number): T;
  /** Writes src at offset; returns the bytes written (span). */
  encode(src: T, b: Buffer, offset?: number): number;
}
