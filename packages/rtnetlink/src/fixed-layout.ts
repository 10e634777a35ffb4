// The public shape of a fixed-size C struct codec. The structs are built with buffer-layout,
// which ships no types: the package's declaration of it stays private (src/buffer-layout.d.ts),
// so the published .d.ts name only these interfaces and compile in a consumer's strict project.

/** One member of a struct: its name (none for padding) and size in bytes. */
export interface FixedField {
  readonly property?: string;
  readonly span: number;
}

/** Reads and writes one C struct of a fixed size (span bytes) at an offset of a buffer. */
export interface FixedLayout<T> {
  readonly span: number;
  /** The members in order (the message schemas check the padding ones, JSON prints the rest). */
  readonly fields: ReadonlyArray<FixedField>;
  offsetOf(property: string): number | undefined;
  decode(b: Buffer, offset?: number): T;
  /** Writes src at offset; returns the bytes written (span). */
  encode(src: T, b: Buffer, offset?: number): number;
}
