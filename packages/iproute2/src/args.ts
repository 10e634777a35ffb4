// The argument conventions of iproute2's commands: a cursor over keyword/value words, the error
// for bad input, and the number, prefix, address and interface-name parsers.
import { UNSAFE_TEXT, parsePrefix, parseIP, printable, type Prefix } from '@vrfctl/netlink';

/** 4 or 6, as `ip -4` / `ip -6`: the family of every spec and filter (route, rule, address, nexthop). */
export type IpVersion = 4 | 6;

/** An argument the user gave is wrong: the CLI prints it on one line and exits 1 (EXIT_USAGE). */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError';
}

/**
 * Walks an iproute2-style argument list ("10.0.0.0/8 via 10.0.0.1 dev v0 table 100"):
 * keywords in any order, each taking its value from the next word.
 */
export class ArgCursor {
  private i = 0;
  constructor(private readonly words: readonly string[]) {}

  get done(): boolean {
    return this.i >= this.words.length;
  }
  peek(): string | undefined {
    return this.words[this.i];
  }
  next(): string {
    const w = this.words[this.i];
    if (w === undefined) throw new ArgumentError('missing argument at the end');
    this.i++;
    return w;
  }
  /** The value after a keyword; names the keyword when it is missing. */
  value(keyword: string): string {
    const w = this.words[this.i];
    if (w === undefined) throw new ArgumentError(`"${keyword}" needs a value`);
    this.i++;
    return w;
  }
  /** Consumes the word if it equals one of the given ones. */
  accept(...options: string[]): string | undefined {
    const w = this.words[this.i];
    if (w !== undefined && options.includes(w)) {
      this.i++;
      return w;
    }
    return undefined;
  }
  rest(): string[] {
    const out = this.words.slice(this.i);
    this.i = this.words.length;
    return out;
  }
}

/** iproute2 accepts any unambiguous-enough prefix of some keywords (e.g. "dev", "de"); we accept exact words only. */
export function parseUnsigned(text: string, what: string, max = 0xffffffff): number {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) throw new ArgumentError(`invalid ${what} "${text}": not a number`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > max) throw new ArgumentError(`invalid ${what} "${text}": out of range 0…${max}`);
  return n;
}

export function parsePrefixArg(text: string, what: string): Prefix {
  const p = parsePrefix(text);
  if (!p) {
    const slash = text.indexOf('/');
    if (slash !== -1 && parseIP(text.slice(0, slash))) throw new ArgumentError(`invalid ${what} "${text}": bad prefix length`);
    throw new ArgumentError(`invalid ${what} "${text}": not an address or prefix`);
  }
  return p;
}

export function parseAddressArg(text: string, what: string): { family: 2 | 10; address: string } {
  const ip = parseIP(text);
  if (!ip) throw new ArgumentError(`invalid ${what} "${text}": not an IP address`);
  return { family: ip.family, address: text };
}

/**
 * Interface names: 1–15 bytes, no '/', whitespace or NUL (the kernel's dev_valid_name), and no
 * control or bidi characters or invalid UTF-8, which the kernel takes but terminals and logs misshow.
 */
export function validateInterfaceName(name: string, what = 'device name'): string {
  const bytes = Buffer.byteLength(name);
  if (bytes === 0 || bytes > 15) throw new ArgumentError(`invalid ${what} "${printable(name)}": must be 1 to 15 bytes`);
  if (name === '.' || name === '..' || /[/\s\0:]/.test(name)) {
    throw new ArgumentError(`invalid ${what} "${printable(name)}": no '/', ':', whitespace, NUL, '.' or '..'`);
  }
  if (UNSAFE_TEXT.test(name)) throw new ArgumentError(`invalid ${what} "${printable(name)}": no control or bidi characters, valid UTF-8 only`);
  return name;
}

/** "on" or "off", as iproute2's parse_on_off reads a switch. */
export function parseOnOff(text: string, what: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new ArgumentError(`invalid ${what} "${text}": on or off`);
}
