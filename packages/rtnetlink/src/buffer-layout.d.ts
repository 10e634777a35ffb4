// The parts of buffer-layout 1.2 that this package uses (the package ships no types).
declare module 'buffer-layout' {
  export class Layout<T = unknown> {
    constructor(span: number, property?: string);
    readonly span: number;
    property?: string;
    decode(b: Buffer, offset?: number): T;
    encode(src: T, b: Buffer, offset?: number): number;
    getSpan(b?: Buffer, offset?: number): number;
  }
  export class Structure<T = Record<string, unknown>> extends Layout<T> {
    readonly fields: ReadonlyArray<Layout<unknown>>;
    offsetOf(property: string): number | undefined;
  }
  interface BufferLayout {
    Layout: typeof Layout;
    struct<T>(fields: ReadonlyArray<Layout<unknown>>, property?: string): Structure<T>;
    u8(property?: string): Layout<number>;
    u16(property?: string): Layout<number>;
    u32(property?: string): Layout<number>;
    s32(property?: string): Layout<number>;
    u16be(property?: string): Layout<number>;
    u32be(property?: string): Layout<number>;
    s8(property?: string): Layout<number>;
    blob(length: number, property?: string): Layout<Buffer>;
  }
  const layout: BufferLayout;
  export default layout;
}
