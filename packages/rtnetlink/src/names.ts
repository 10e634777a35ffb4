// Value <-> name tables for enums and flag sets. Unknown values print as numbers, the way
// iproute2 prints a protocol or route type it has no name for, and parse back from either form.

/** An enum rendered by name; values without a name stay numbers. */
export type EnumValue = string | number;

/** Entries of a constants object, made when first iterated: { DST: 1 } with 'RTA_' gives ['RTA_DST', 1]. */
function prefixed(constants: Readonly<Record<string, number>>, prefix: string, lower: boolean): Iterable<readonly [string, number]> {
  return {
    *[Symbol.iterator]() {
      for (const [k, v] of Object.entries(constants)) yield [lower ? (prefix + k).toLowerCase() : prefix + k, v] as const;
    },
  };
}

// Both tables below build their maps on first use, not when declared: the constants modules
// declare about a hundred of them, and a CLI start that prints a VRF list reads a handful.

export class EnumNames {
  private source: Iterable<readonly [string, number]> | undefined;
  private byValueMap: Map<number, string> | undefined = undefined;
  private byNameMap: Map<string, number> | undefined = undefined;

  /** Entries in preference order: the first name given for a value is the one printed. */
  constructor(entries: Iterable<readonly [string, number]>) {
    this.source = entries;
  }

  private get byValue(): Map<number, string> {
    return this.byValueMap ?? this.build().byValueMap!;
  }

  private get byName(): Map<string, number> {
    return this.byNameMap ?? this.build().byNameMap!;
  }

  private build(): this {
    const byValue = new Map<number, string>();
    const byName = new Map<string, number>();
    for (const [name, value] of this.source!) {
      if (!byValue.has(value)) byValue.set(value, name);
      byName.set(name, value);
    }
    this.byValueMap = byValue;
    this.byNameMap = byName;
    this.source = undefined;
    return this;
  }

  /** A table from a constants object: { DST: 1 } with prefix 'RTA_' gives 'RTA_DST'. */
  static fromObject(constants: Readonly<Record<string, number>>, prefix = '', lower = false): EnumNames {
    return new EnumNames(prefixed(constants, prefix, lower));
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
  private source: Iterable<readonly [string, number]> | undefined;
  private bitsList: ReadonlyArray<readonly [number, string]> | undefined = undefined;
  private byNameMap: ReadonlyMap<string, number> | undefined = undefined;

  constructor(entries: Iterable<readonly [string, number]>) {
    this.source = entries;
  }

  private get bits(): ReadonlyArray<readonly [number, string]> {
    return this.bitsList ?? this.build().bitsList!;
  }

  private get byName(): ReadonlyMap<string, number> {
    return this.byNameMap ?? this.build().byNameMap!;
  }

  private build(): this {
    const list: Array<readonly [number, string]> = [];
    const byName = new Map<string, number>();
    for (const [name, bit] of this.source!) {
      list.push([bit, name]);
      byName.set(name, bit);
    }
    this.bitsList = list;
    this.byNameMap = byName;
    this.source = undefined;
    return this;
  }

  static fromObject(constants: Readonly<Record<string, number>>, prefix = '', lower = false): FlagNames {
    return new FlagNames(prefixed(constants, prefix, lower));
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
