// `ip neigh` argument syntax to library specs.
import { ArgCursor, ArgumentError, parseAddressArg } from '@vrfctl/iproute2';
import { takeSelectorWord } from './show-words.js';
import { NUD_KEYWORDS, type NeighbourSpec, type NudState } from './neighbours.js';

function parseNud(text: string): NudState {
  if (!(text in NUD_KEYWORDS)) throw new ArgumentError(`invalid nud state "${text}"`);
  return text as NudState;
}

/** `neigh add|del|change|replace {ADDR [lladdr LLADDR] [nud STATE] | proxy ADDR} dev DEV [router] [extern_learn]`. */
export function parseNeighbourSpec(words: readonly string[], family?: 4 | 6): NeighbourSpec {
  const c = new ArgCursor(words);
  const spec: Partial<NeighbourSpec> = {};
  while (!c.done) {
    const w = c.next();
    switch (w) {
      case 'lladdr': spec.lladdr = c.value(w); break;
      case 'nud': spec.state = parseNud(c.value(w)); break;
      case 'proxy': spec.proxy = true; spec.dst = c.value(w); break;
      case 'dev': spec.dev = c.value(w); break;
      case 'router': spec.router = true; break;
      case 'extern_learn': spec.externLearn = true; break;
      case 'to': spec.dst = c.value(w); break;
      default:
        if (spec.dst !== undefined) throw new ArgumentError(`unknown neigh option "${w}"`);
        spec.dst = w;
    }
  }
  if (spec.dst === undefined) throw new ArgumentError('Device and destination are required arguments.');
  if (spec.dev === undefined) throw new ArgumentError('Device and destination are required arguments.');
  const fam = parseAddressArg(spec.dst, 'neighbour address').family;
  if ((family === 4 && fam !== 2) || (family === 6 && fam !== 10)) {
    throw new ArgumentError(`invalid neighbour address "${spec.dst}": not IPv${family}`);
  }
  return spec as NeighbourSpec;
}

export interface NeighbourShowArgs {
  dev?: string;
  vrf?: string;
  master?: string;
  proxy: boolean;
  /** NUD bits to show; undefined for iproute2's default (all but NOARP and NONE). */
  states?: number;
  /** "nud all" also shows NONE entries. */
  all: boolean;
  to?: string;
}

/** `neigh show|flush [to] [ADDR] [dev DEV] [vrf NAME] [master DEV] [nud STATE|all] [proxy]`. */
export function parseNeighbourShow(words: readonly string[]): NeighbourShowArgs {
  const c = new ArgCursor(words);
  const a: NeighbourShowArgs = { proxy: false, all: false };
  while (!c.done) {
    const w = c.next();
    if (takeSelectorWord(a, w, c)) continue;
    switch (w) {
      case 'proxy': a.proxy = true; break;
      case 'nud': {
        const v = c.value(w);
        if (v === 'all') {
          a.all = true;
          a.states = 0xff;
        } else a.states = (a.states ?? 0) | NUD_KEYWORDS[parseNud(v)];
        break;
      }
      case 'to': a.to = c.value(w); break;
      default:
        if (a.to !== undefined) throw new ArgumentError(`unknown neigh option "${w}"`);
        a.to = w;
    }
  }
  if (a.to !== undefined) parseAddressArg(a.to, 'neighbour address');
  return a;
}
