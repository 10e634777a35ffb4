// `vrfctl link show|add|set|del|property`, with iproute2's syntax and output.
import {
  LinkNames, addAltName, createLink, formatLinkBrief, linkBriefToJson, deleteAltName, deleteLink, formatLink, linkToJson, parseLinkAdd, parseLinkDel,
  parseLinkProperty, parseLinkSet, parseLinkShow, setLink,
} from '@vrfctl/link';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { selectLinks, vrfMaster } from '../link-show.js';
import { runObjectCommand, type ObjectCommand } from '../link-object-commands.js';

function show(args: string[], opts: GlobalOptions): number {
  const sel = parseLinkShow(args);
  return withSession(opts, (s) => {
    const { links, lookup } = s.run(selectLinks(sel));
    const printOpts = { linkCommand: true, linkLayer: true, stats: opts.stats };
    if (opts.brief) {
      if (opts.json) printJson(links.map((l) => linkBriefToJson(l, lookup)), opts);
      else for (const l of links) writeLine(formatLinkBrief(l, lookup));
    } else if (opts.json) printJson(links.map((l) => linkToJson(l, lookup, printOpts)), opts);
    // -o: ip writes a backslash where each record's lines would break.
    else if (opts.oneline) for (const l of links) writeLine(formatLink(l, lookup, printOpts).join('\\'));
    else for (const l of links) for (const line of formatLink(l, lookup, printOpts)) writeLine(line);
    return 0;
  });
}

const command: ObjectCommand = {
  object: 'link',
  show,
  verbs: {
    add: (rest, opts) => {
      const spec = parseLinkAdd(rest);
      return withSession(opts, (s) => (s.run(createLink(spec)), 0));
    },
    set: setVerb,
    change: setVerb,
    del: deleteVerb,
    delete: deleteVerb,
    property: (rest, opts) => {
      const p = parseLinkProperty(rest);
      return withSession(opts, (s) => {
        const names = new LinkNames();
        s.run((function* () {
          for (const alt of p.altnames) yield* (p.op === 'add' ? addAltName(p.dev, alt, names) : deleteAltName(p.dev, alt, names));
        })());
        return 0;
      });
    },
  },
  known: 'show, add, set, del or property',
  usage: 'Usage: vrfctl link show [DEV] [type KIND] [master DEV] [vrf NAME] [up]\n       vrfctl link add [link DEV] NAME [OPTIONS] type veth|bridge|dummy|vlan|macvlan|vxlan|vrf [ARGS]\n       vrfctl link set DEV [up|down] [mtu N] [name NEW] [master DEV|vrf NAME|nomaster] [netns NS] [txqueuelen N] [address LLADDR] [alias TEXT]\n       vrfctl link del DEV\n       vrfctl link property add|del dev DEV altname NAME',
};

function setVerb(rest: string[], opts: GlobalOptions): number {
  const { dev, changes, vrf } = parseLinkSet(rest);
  return withSession(opts, (s) => {
    const names = new LinkNames();
    if (vrf !== undefined) s.run(vrfMaster(vrf, names));
    s.run(setLink(dev, changes, names));
    return 0;
  });
}

function deleteVerb(rest: string[], opts: GlobalOptions): number {
  const dev = parseLinkDel(rest);
  return withSession(opts, (s) => (s.run(deleteLink(dev)), 0));
}

export function run(args: string[], opts: GlobalOptions): number {
  return runObjectCommand(command, args, opts);
}
