// `bridge vlan` argument syntax to specs and filters. Unlike iproute2's bridge, which skips words
// it does not know, an unknown word is an ArgumentError: a typo must not change another VLAN.
import { ArgCursor, ArgumentError, parseUnsigned } from '@vrfctl/iproute2';
import { validateBridgeVlan, type BridgeVlanChange, type BridgeVlanFilter, type BridgeVlanSpec } from './bridge-vlans.js';

export type BridgeVlanCommand =
  | { kind: 'change'; op: BridgeVlanChange; spec: BridgeVlanSpec }
  | { kind: 'show'; filter: BridgeVlanFilter };

/** iproute2's matches(): a non-empty prefix of the keyword. */
function prefixOf(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

function parseVid(text: string): number {
  return parseUnsigned(text, 'VLAN id', 0xffff);
}

/** `VID` or `VID-END`. */
function parseVidRange(text: string): { vid: number; vidEnd?: number } {
  const dash = text.indexOf('-');
  if (dash === -1) return { vid: parseVid(text) };
  const vid = parseVid(text.slice(0, dash));
  const vidEnd = parseVid(text.slice(dash + 1));
  if (vidEnd <= vid) throw new ArgumentError(`invalid VLAN range "${text}": the end must be above the start`);
  return { vid, vidEnd };
}

/** `add|del dev DEV vid VID[-END] [pvid] [untagged] [self] [master]`. */
export function parseBridgeVlanSpec(words: readonly string[]): BridgeVlanSpec {
  const c = new ArgCursor(words);
  const spec: Partial<BridgeVlanSpec> = {};
  while (!c.done) {
    const w = c.next();
    switch (w) {
      case 'dev': spec.dev = c.value(w); break;
      case 'vid': Object.assign(spec, parseVidRange(c.value(w))); break;
      case 'pvid': spec.pvid = true; break;
      case 'untagged': spec.untagged = true; break;
      case 'self': spec.self = true; break;
      case 'master': spec.master = true; break;
      default: throw new ArgumentError(`unknown bridge vlan option "${w}"`);
    }
  }
  if (spec.dev === undefined || spec.vid === undefined) throw new ArgumentError('Device and VLAN ID are required arguments.');
  const full = spec as BridgeVlanSpec;
  validateBridgeVlan(full);
  return full;
}

/** `show [dev DEV] [vid VID]`. */
export function parseBridgeVlanShow(words: readonly string[]): BridgeVlanFilter {
  const c = new ArgCursor(words);
  const filter: BridgeVlanFilter = {};
  while (!c.done) {
    const w = c.next();
    if (w === 'dev' || w === 'vid') {
      if (filter[w] !== undefined) throw new ArgumentError(`duplicate "${w}": only one is allowed`);
      const v = c.value(w);
      if (w === 'dev') filter.dev = v;
      else filter.vid = parseVid(v);
    } else throw new ArgumentError(`unknown bridge vlan show option "${w}"`);
  }
  if (filter.vid !== undefined) validateBridgeVlan({ dev: '', vid: filter.vid });
  return filter;
}

/** The words after `bridge vlan`: `add|del …`, `show|list|lst …` (prefixes as bridge takes them), show when empty. */
export function parseBridgeVlanCommand(words: readonly string[]): BridgeVlanCommand {
  const [verb, ...rest] = words;
  if (verb === undefined) return { kind: 'show', filter: {} };
  if (prefixOf(verb, 'add')) return { kind: 'change', op: 'add', spec: parseBridgeVlanSpec(rest) };
  if (prefixOf(verb, 'delete')) return { kind: 'change', op: 'del', spec: parseBridgeVlanSpec(rest) };
  if (prefixOf(verb, 'show') || prefixOf(verb, 'list') || prefixOf(verb, 'lst')) return { kind: 'show', filter: parseBridgeVlanShow(rest) };
  throw new ArgumentError(`Command "${verb}" is unknown, try "bridge vlan help".`);
}
