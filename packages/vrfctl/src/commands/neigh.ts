// `vrfctl neigh show|add|del|change|replace|flush`, with iproute2's syntax and output.
import {
  addNeighbour, changeNeighbour, deleteNeighbour, flushNeighbours, formatNeighbour, LinkNames, listNeighbours,
  type NeighbourShowArgs, neighbourToJson, parseNeighbourShow, parseNeighbourSpec, replaceNeighbour,
} from '@vrfctl/link';
import { NUD, nudNames } from '@vrfctl/rtnetlink';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { withSession } from '../session.js';
import { vrfMaster } from '../link-show.js';
import { changeVerbs, familyOption, flushUnder, runObjectCommand, type ObjectCommand } from '../link-object-commands.js';

/** iproute2's default: everything but NOARP (and NONE entries only with "nud all"). */
const DEFAULT_SHOW_STATES = 0xff & ~NUD.NOARP;

function* gather(a: NeighbourShowArgs, family: 4 | 6 | undefined) {
  const names = new LinkNames();
  const master = a.vrf !== undefined ? yield* vrfMaster(a.vrf, names) : a.master;
  const list = yield* listNeighbours({ dev: a.dev, master, family, proxy: a.proxy }, names);
  const states = a.states ?? DEFAULT_SHOW_STATES;
  const shown = list.filter((n) => {
    if (a.to !== undefined && n.dst !== a.to) return false;
    if (a.proxy) return true;
    const state = nudNames.value(n.state);
    return state === 0 ? a.all : (state & states) !== 0;
  });
  const devNames = new Map<number, string>();
  for (const n of shown) if (!devNames.has(n.index)) devNames.set(n.index, (yield* names.name(n.index)) ?? `if${n.index}`);
  return { shown, devNames };
}

function show(args: string[], opts: GlobalOptions): number {
  const a = parseNeighbourShow(args);
  return withSession(opts, (s) => {
    const { shown, devNames } = s.run(gather(a, familyOption(opts)));
    const dev = (i: number) => (a.dev !== undefined ? undefined : devNames.get(i));
    if (opts.json) printJson(shown.map((n) => neighbourToJson(n, dev(n.index))), opts);
    else for (const n of shown) writeLine(formatNeighbour(n, dev(n.index)));
    return 0;
  });
}

function flush(args: string[], opts: GlobalOptions): number {
  if (args.length === 0) throw new UsageError('Flush requires arguments.');
  const a = parseNeighbourShow(args);
  return flushUnder(opts, a, (master, names) => flushNeighbours({ dev: a.dev, master, family: familyOption(opts), proxy: a.proxy, states: a.states }, names));
}

const command: ObjectCommand = {
  object: 'neigh',
  show,
  verbs: {
    ...changeVerbs((rest, opts) => parseNeighbourSpec(rest, opts.family), { add: addNeighbour, replace: replaceNeighbour, change: changeNeighbour, del: deleteNeighbour }),
    flush,
  },
  known: 'show, add, del, change, replace or flush',
  usage: 'Usage: vrfctl neigh show [ADDR] [dev DEV] [vrf NAME] [master DEV] [nud STATE|all] [proxy]\n       vrfctl neigh add|del|change|replace {ADDR [lladdr LLADDR] [nud STATE] | proxy ADDR} dev DEV [router] [extern_learn]\n       vrfctl neigh flush dev DEV | vrf NAME | master DEV [nud STATE]',
};

export function run(args: string[], opts: GlobalOptions): number {
  return runObjectCommand(command, args, opts);
}
