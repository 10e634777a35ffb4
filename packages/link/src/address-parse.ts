// `ip addr` argument syntax to library specs, keys in command-line order (see link-parse.ts).
import { ArgCursor, ArgumentError, parsePrefixArg, parseUnsigned, scopeNames } from '@vrfctl/iproute2';
import { takeSelectorWord } from './show-words.js';
import { ADDRESS_FLAG_KEYWORDS, type AddressFlag, type AddressSpec } from './addresses.js';

function parseScope(text: string): number {
  return scopeNames.id(text, 'scope', 255);
}

function parseLifetime(text: string, what: string): number | 'forever' {
  return text === 'forever' ? 'forever' : parseUnsigned(text, what);
}

/** `addr add|del|replace|change [local] PREFIX [peer PREFIX] [broadcast ADDR|+|-] [anycast ADDR] [label NAME] [scope S] [metric N] dev DEV [flags] [valid_lft LFT] [preferred_lft LFT]`. */
export function parseAddressSpec(words: readonly string[], family?: 4 | 6): AddressSpec {
  const c = new ArgCursor(words);
  const spec: Partial<AddressSpec> = {};
  const flags: AddressFlag[] = [];
  while (!c.done) {
    const w = c.next();
    switch (w) {
      case 'peer': case 'remote': spec.peer = c.value(w); parsePrefixArg(spec.peer, 'peer'); break;
      case 'broadcast': case 'brd': spec.broadcast = c.value(w); break;
      case 'anycast': spec.anycast = c.value(w); break;
      case 'label': spec.label = c.value(w); break;
      case 'scope': spec.scope = parseScope(c.value(w)); break;
      case 'metric': case 'priority': case 'preference': spec.metric = parseUnsigned(c.value(w), 'metric'); break;
      case 'dev': spec.dev = c.value(w); break;
      case 'valid_lft': spec.validLft = parseLifetime(c.value(w), 'valid_lft'); break;
      case 'preferred_lft': spec.preferredLft = parseLifetime(c.value(w), 'preferred_lft'); break;
      case 'local': spec.local = c.value(w); parsePrefixArg(spec.local, 'address'); break;
      default:
        if (w in ADDRESS_FLAG_KEYWORDS) {
          flags.push(w as AddressFlag);
          if (spec.flags === undefined) spec.flags = flags;
        } else if (spec.local === undefined) {
          spec.local = w;
          parsePrefixArg(w, 'address');
        } else {
          throw new ArgumentError(`either "local" is duplicate, or "${w}" is garbage`);
        }
    }
  }
  if (spec.local === undefined) throw new ArgumentError('an address is required');
  if (spec.dev === undefined) throw new ArgumentError('Not enough information: "dev" argument is required.');
  const fam = parsePrefixArg(spec.local, 'address').family;
  if (family === 4 && fam !== 2) throw new ArgumentError(`invalid address "${spec.local}": not IPv4 (-4 given)`);
  if (family === 6 && fam !== 10) throw new ArgumentError(`invalid address "${spec.local}": not IPv6 (-6 given)`);
  return spec as AddressSpec;
}

export interface AddressShowArgs {
  dev?: string;
  vrf?: string;
  master?: string;
  kind?: string;
  up: boolean;
  scope?: number;
  label?: string;
}

/** `addr show|flush [dev] [DEV] [vrf NAME] [master DEV] [type KIND] [up] [scope S] [label L]`. */
export function parseAddressShow(words: readonly string[]): AddressShowArgs {
  const c = new ArgCursor(words);
  const a: AddressShowArgs = { up: false };
  while (!c.done) {
    const w = c.next();
    if (takeSelectorWord(a, w, c)) continue;
    switch (w) {
      case 'type': a.kind = c.value(w); break;
      case 'up': a.up = true; break;
      case 'scope': a.scope = parseScope(c.value(w)); break;
      case 'label': a.label = c.value(w); break;
      default:
        if (a.dev !== undefined) throw new ArgumentError(`unknown addr option "${w}"`);
        a.dev = w;
    }
  }
  return a;
}
