// Value <-> name tables for enums and flag sets. Unknown values print as numbers, the way
// iproute2 prints a protocol or route type it has no name for, and parse back from either form.

/** An enum rendered by name; values without a name stay numbers. */
export type EnumValue = string | number;

export class EnumNames {
  private readonly byValue = new Map<number, string>();
  private readonly byName = new Map<string, number>();

  /** Entries in preference order: the first name given for a value is the one printed. */
  constructor(entries: Iterable<readonly [string, number]>) {
    for (const [name, value] of entries) {
      if (!this.byValue.has(value)) this.byValue.set(value, name);
      this.byName.set(name, value);
    }
  }

  /** A table from a constants object: { DST: 1 } with prefix 'RTA_' gives 'RTA_DST'. */
  static fromObject(constants: Readonly<Record<string, number>>, prefix = '', lower = false): EnumNames {
    return new EnumNames(Object.entries(constants).map(([k, v]) => [lower ? (prefix + k).toLowerCase() : prefix + k, v] as const));
  }

  /** The name, or the value itself when it has none. */
  name(value: number): EnumValue {
    return this.byValue.get(value) ?? value;
  }

  /** Like name() but always text, for messages. */
  text(value: number): string {
    return String(this.name(value));
  }

  /** True if the value has a name. */
  has(value: number): boolean {
    return this.byValue.has(value);
  }

  /** The value of a name, a number, or a decimal/hex numeric string; RangeError otherwise. */
  value(name: EnumValue): number {
    if (typeof name === 'number') {
      if (!Number.isInteger(name) || name < 0) throw new RangeError(`invalid enum value ${name}`);
      return name;
    }
    const v = this.byName.get(name);
    if (v !== undefined) return v;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(name)) return Number(name);
    throw new RangeError(`unknown name "${name}"`);
  }

  entries(): IterableIterator<[number, string]> {
    return this.byValue.entries();
  }
}

/** A bit set rendered as an array of names; bits without a name come out as '0x…'. */
export class FlagNames {
  private readonly bits: ReadonlyArray<readonly [number, string]>;
  private readonly byName: ReadonlyMap<string, number>;

  constructor(entries: Iterable<readonly [string, number]>) {
    const list: Array<readonly [number, string]> = [];
    const byName = new Map<string, number>();
    for (const [name, bit] of entries) {
      list.push([bit, name]);
      byName.set(name, bit);
    }
    this.bits = list;
    this.byName = byName;
  }

  static fromObject(constants: Readonly<Record<string, number>>, prefix = '', lower = false): FlagNames {
    return new FlagNames(Object.entries(constants).map(([k, v]) => [lower ? (prefix + k).toLowerCase() : prefix + k, v] as const));
  }

  names(flags: number): string[] {
    if (flags === 0) return [];
    const out: string[] = [];
    let rest = flags >>> 0;
    for (const [bit, name] of this.bits) {
      if (bit !== 0 && (rest & bit) === bit) {
        out.push(name);
        rest = (rest & ~bit) >>> 0;
      }
    }
    if (rest !== 0) out.push(`0x${rest.toString(16)}`);
    return out;
  }

  value(names: readonly string[]): number {
    let flags = 0;
    for (const name of names) {
      const bit = this.byName.get(name) ?? (/^0x[0-9a-f]+$/i.test(name) ? Number.parseInt(name, 16) : undefined);
      if (bit === undefined) throw new RangeError(`unknown flag "${name}"`);
      flags = (flags | bit) >>> 0;
    }
    return flags;
  }
}
