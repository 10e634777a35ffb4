// vrfctl entry point. Only commander and the one command module that runs are loaded, so that
// `vrfctl list` starts about as fast as `node` itself.
import { Command, CommanderError } from 'commander';
import { describeFailure, EXIT_USAGE, UsageError } from './errors.js';
import type { GlobalOptions } from './context.js';

type Runner = (args: string[], opts: GlobalOptions) => Promise<number | void> | number | void;

/** Each command lives in its own module, imported only when it runs. */
const commands: Array<{ name: string; summary: string; usage: string; load: () => Promise<{ run: Runner }> ; help?: string }> = [
  {
    name: 'route',
    summary: 'show and change routes (iproute2 syntax)',
    usage: 'show|add|replace|append|del|get|flush [ARGS…]',
    load: () => import('./commands/route.js'),
    help: `
Examples:
  vrfctl route add 10.9.0.0/16 via 10.0.0.2 table 100
  vrfctl -j route show table all
  vrfctl --dry-run --hex route add default via 192.0.2.1 vrf mgmt`,
  },
  {
    name: 'nl',
    summary: 'decode and encode raw netlink messages',
    usage: 'decode [HEX…] | encode [JSON…]',
    load: () => import('./commands/nl.js'),
    help: `
Reads arguments, or standard input one message buffer per line when none are given.
Examples:
  vrfctl nl decode 2c000000180005060000000000000000...
  vrfctl nl decode < dump.hex | vrfctl nl encode`,
  },
];

function parseGlobal(program: Command): GlobalOptions {
  const o = program.opts<{ netns?: string; 4?: boolean; 6?: boolean; json?: boolean; pretty?: boolean; dryRun?: boolean; hex?: boolean; debug?: boolean }>();
  if (o[4] && o[6]) throw new UsageError('-4 and -6 exclude each other');
  if (o.hex && !o.dryRun) throw new UsageError('--hex goes with --dry-run');
  return {
    netns: o.netns,
    family: o[4] ? 4 : o[6] ? 6 : undefined,
    json: Boolean(o.json),
    pretty: Boolean(o.pretty),
    dryRun: Boolean(o.dryRun),
    hex: Boolean(o.hex),
    debug: Boolean(o.debug),
  };
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('vrfctl')
    .description('Run VRFs on Linux: VRFs, ports, routes, rules and lookups over netlink')
    .option('-n, --netns <name>', 'run in the network namespace NAME (/run/netns/NAME)')
    .option('-4', 'IPv4 only')
    .option('-6', 'IPv6 only')
    .option('-j, --json', 'JSON output, with iproute2 -j field names')
    .option('-p, --pretty', 'indented JSON')
    .option('--dry-run', 'print the requests a change would send instead of sending them')
    .option('--hex', 'with --dry-run: one hex line per netlink request (seq and pid zero)')
    .option('--debug', 'stack traces on errors')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ outputError: (s, write) => write(s) });

  let exitCode = 0;
  let current = '';
  for (const c of commands) {
    program
      .command(c.name)
      .summary(c.summary)
      .usage(c.usage)
      .argument('[args...]')
      .allowUnknownOption()
      .allowExcessArguments()
      .passThroughOptions()
      .addHelpText('after', c.help ?? '')
      .action(async (args: string[]) => {
        current = [c.name, ...args.slice(0, 1)].join(' ');
        const opts = parseGlobal(program);
        const mod = await c.load();
        exitCode = (await mod.run(args, opts)) ?? 0;
      });
  }
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander; their text is already printed.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const debug = argv.includes('--debug');
    const { line, code } = describeFailure(err, current);
    process.stderr.write(line + '\n');
    if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return code;
  }
}

process.exitCode = await main(process.argv);
