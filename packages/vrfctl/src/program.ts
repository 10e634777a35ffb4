// The command line as commander parses it: help, version, usage errors and every spelling
// plain-argv.ts leaves to it. Loaded only then (commander and its ~40 option objects cost a
// vrfctl start about a millisecond and a quarter of a megabyte of young heap).
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './errors.js';
import { VERSION } from './version.js';
import { writeOut } from './stdout.js';
import { COMMANDS } from './command-table.js';
import { GLOBAL_SWITCHES, type Invocation, type RawGlobals } from './global-options.js';

/** Commander's usage errors in our one-line form: `vrfctl: unknown command "x"`. */
function commanderLine(err: CommanderError): string {
  const quoted = /'([^']*)'/.exec(err.message)?.[1];
  if (err.code === 'commander.unknownCommand' && quoted !== undefined) return `vrfctl: unknown command "${quoted}" (vrfctl --help lists them)`;
  if (err.code === 'commander.unknownOption' && quoted !== undefined) return `vrfctl: unknown option "${quoted}" (vrfctl --help lists them)`;
  return `vrfctl: ${err.message.replace(/^error: /, '').replaceAll("'", '"').trim()}`;
}

/**
 * Parses words (argv past node and the script, in our spelling) with commander: the invocation,
 * or an exit status when commander answered itself (help, version: 0; a usage error: its line
 * on stderr, EXIT_USAGE).
 */
export async function parseWithCommander(words: string[]): Promise<Invocation | number> {
  const program = new Command('vrfctl')
    .description('Run VRFs on Linux: VRFs, ports, routes, rules and lookups over netlink')
    .option('-n, --netns <name>', 'run in the network namespace NAME (/run/netns/NAME)');
  for (const f of GLOBAL_SWITCHES) {
    if (f.counts) program.option(f.flags.join(', '), f.help, (_: string, n: number) => n + 1, 0);
    else program.option(f.flags.join(', '), f.help);
  }
  program
    .enablePositionalOptions()
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    // Commander's own error lines ("error: unknown command 'x'") are rewritten in the catch below;
    // its help and version text go out as every other output (stdout.ts).
    .configureOutput({ outputError: () => undefined, writeOut });

  let found: Invocation | undefined;
  for (const c of COMMANDS) {
    program
      .command(c.name)
      .summary(c.summary)
      .usage(c.usage)
      .argument('[args...]')
      .allowUnknownOption()
      .allowExcessArguments()
      .passThroughOptions()
      .addHelpText('after', c.help ?? '')
      .action((args: string[]) => {
        found = { command: c.name, args, globals: program.opts<RawGlobals>() };
      });
  }
  try {
    await program.parseAsync(['node', 'vrfctl', ...words]);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    // help and version are "errors" to commander; their text is already printed. Without a
    // command the help went to stderr: a usage error, with nothing more to say.
    if (err.exitCode === 0) return 0;
    if (err.code === 'commander.help') return EXIT_USAGE;
    process.stderr.write(commanderLine(err) + '\n');
    return EXIT_USAGE;
  }
  return found ?? 0;
}
