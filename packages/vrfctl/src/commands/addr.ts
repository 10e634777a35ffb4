// `vrfctl addr show|add|del|replace|change|flush`, with iproute2's syntax and output.
import {
  addAddress, addressBriefToJson, formatAddressBrief, formatLinkStats, linkStatsToJson, type AddressShowArgs, addressToJson, changeAddress, deleteAddress, flushAddresses, formatAddress,
  formatLink, linkToJson, listAddresses, parseAddressShow, parseAddressSpec, replaceAddress,
} from '@vrfctl/link';
import { scopeNames, type Address } from '@vrfctl/rtnetlink';
import type { Plan } from '@vrfctl/socket';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { withSession } from '../session.js';
import { selectLinks, type SelectedLinks } from '../link-show.js';
import { changeVerbs, familyOption, flushUnder, runObjectCommand, type ObjectCommand } from '../link-object-commands.js';

function* gather(a: AddressShowArgs, family: 4 | 6 | undefined): Plan<{ sel: SelectedLinks; all: Address[]; addrs: Address[] }> {
  const sel = yield* selectLinks({ dev: a.dev, master: a.master, vrf: a.vrf, kind: a.kind, up: a.up });
  const all = yield* listAddresses({ dev: a.dev, family }, sel.names);
  const addrs = all.filter((x) => (a.scope === undefined || scopeNames.value(x.scope) === a.scope) && (a.label === undefined || x.label === a.label));
  return { sel, all, addrs };
}

function show(args: string[], opts: GlobalOptions): number {
  const a = parseAddressShow(args);
  const family = familyOption(opts);
  return withSession(opts, (s) => {
    const { sel, all, addrs } = s.run(gather(a, family));
    // `ip -6 addr` dumps links as AF_INET6, whose messages lack qdisc, group and master (txqlen
    // it reads by ioctl): the same fields are left out here, from the full dump.
    const printOpts = { linkCommand: false, linkLayer: family === undefined, ipv6View: family === 6 && a.dev === undefined };
    const out: Array<Record<string, unknown>> = [];
    for (const link of sel.links) {
      const mine = addrs.filter((x) => x.index === link.index);
      // As iproute2: a link whose addresses all fail the filters is left out; one without any
      // address at all is shown unless a family is given.
      if (mine.length === 0 && (family !== undefined || all.some((x) => x.index === link.index))) continue;
      if (opts.brief) {
        if (opts.json) out.push(addressBriefToJson(link, sel.lookup, mine));
        else writeLine(formatAddressBrief(link, sel.lookup, mine));
      } else if (opts.json) {
        const j: Record<string, unknown> = { ...linkToJson(link, sel.lookup, printOpts), addr_info: mine.map(addressToJson) };
        const stats = opts.stats ? linkStatsToJson(link, opts.stats) : undefined;
        if (stats) j.stats64 = stats;
        out.push(j);
      } else if (opts.oneline) {
        // -o: the addresses only, each prefixed with its link, a backslash where lines would break.
        for (const x of mine) writeLine(`${link.index}: ${link.ifname}` + formatAddress(x).join('\\'));
      } else {
        // With a label filter iproute2 prints the matching address lines only.
        if (a.label === undefined) for (const line of formatLink(link, sel.lookup, printOpts)) writeLine(line);
        for (const x of mine) for (const line of formatAddress(x)) writeLine(line);
        if (opts.stats) for (const line of formatLinkStats(link, opts.stats)) writeLine(line);
      }
    }
    if (opts.json) printJson(out, opts);
    return 0;
  });
}

function flush(args: string[], opts: GlobalOptions): number {
  const a = parseAddressShow(args);
  if (args.length === 0) throw new UsageError('Flush requires arguments.');
  if (a.kind !== undefined || a.up) throw new UsageError('addr flush takes dev, vrf, master, scope and label');
  return flushUnder(opts, a, (master, names) => flushAddresses({ dev: a.dev, master, family: familyOption(opts), scope: a.scope, label: a.label }, names));
}

const command: ObjectCommand = {
  object: 'addr',
  show,
  verbs: {
    ...changeVerbs((rest, opts) => parseAddressSpec(rest, opts.family), { add: addAddress, replace: replaceAddress, change: changeAddress, del: deleteAddress }),
    flush,
  },
  known: 'show, add, del, replace, change or flush',
  usage: 'Usage: vrfctl addr show [dev DEV] [vrf NAME] [master DEV] [type KIND] [up] [scope S] [label L]\n       vrfctl addr add|del|replace|change PREFIX [peer PREFIX] [broadcast ADDR|+|-] [label NAME] [scope S] [metric N] dev DEV [nodad] [noprefixroute] [home] [mngtmpaddr] [optimistic] [autojoin] [valid_lft LFT] [preferred_lft LFT]\n       vrfctl addr flush dev DEV | vrf NAME | master DEV [scope S] [label L]',
};

export function run(args: string[], opts: GlobalOptions): number {
  return runObjectCommand(command, args, opts);
}
