// `vrfctl link show|add|set|del|property`, with iproute2's syntax and output.
import { addAltName, createLink, deleteAltName, deleteLink, setLink, LinkNames } from '@vrfctl/link';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { withSession } from '../session.js';
import { parseLinkAdd, parseLinkDel, parseLinkProperty, parseLinkSet, parseLinkShow } from '@vrfctl/link';
import { formatLink, linkToJson } from '@vrfctl/link';
import { selectLinks } from '../link-show.js';
import { asUsage } from '../errors.js';

function show(args: string[], opts: GlobalOptions): number {
  const sel = parseLinkShow(args);
  return withSession(opts, (s) => {
    const { links, lookup } = s.run(selectLinks(sel));
    const printOpts = { linkCommand: true, linkLayer: true };
    if (opts.json) printJson(links.map((l) => linkToJson(l, lookup, printOpts)), opts);
    else for (const l of links) for (const line of formatLink(l, lookup, printOpts)) writeLine(line);
    return 0;
  });
}

export function run(args: string[], opts: GlobalOptions): number {
  return asUsage(() => {
    const [sub = 'show', ...rest] = args;
    switch (sub) {
      case 'show': case 'list': case 'ls': case 'lst':
        return show(rest, opts);
      case 'add': {
        const spec = parseLinkAdd(rest);
        return withSession(opts, (s) => (s.run(createLink(spec)), 0));
      }
      case 'set': case 'change': {
        const { dev, changes } = parseLinkSet(rest);
        return withSession(opts, (s) => (s.run(setLink(dev, changes)), 0));
      }
      case 'del': case 'delete': {
        const dev = parseLinkDel(rest);
        return withSession(opts, (s) => (s.run(deleteLink(dev)), 0));
      }
      case 'property': {
        const p = parseLinkProperty(rest);
        return withSession(opts, (s) => {
          const names = new LinkNames();
          s.run((function* () {
            for (const alt of p.altnames) yield* (p.op === 'add' ? addAltName(p.dev, alt, names) : deleteAltName(p.dev, alt, names));
          })());
          return 0;
        });
      }
      default:
        if (sub !== 'help') throw new UsageError(`unknown link command "${sub}": show, add, set, del or property`);
        writeLine('Usage: vrfctl link show [DEV] [type KIND] [master DEV] [vrf NAME] [up]\n       vrfctl link add [link DEV] NAME [OPTIONS] type veth|bridge|dummy|vlan|macvlan|vxlan|vrf [ARGS]\n       vrfctl link set DEV [up|down] [mtu N] [name NEW] [master DEV|nomaster] [txqueuelen N] [address LLADDR] [alias TEXT]\n       vrfctl link del DEV\n       vrfctl link property add|del dev DEV altname NAME');
        return 0;
    }
  });
}
