// vrfctl entry point. A plain command line (global flags, then a command and its words) runs
// without commander; only the one command module that runs is loaded, so that `vrfctl list`
// starts about as fast as `node` itself.
import { printable } from '@vrfctl/netlink';
import { describeFailure } from './errors.js';
import { fromIpSpelling } from './ip-argv.js';
import { stdoutFlushed } from './stdout.js';
import { COMMANDS, COMMAND_NAMES } from './command-table.js';
import { globalOptions, type Invocation } from './global-options.js';
import { plainInvocation } from './plain-argv.js';

async function main(argv: string[]): Promise<number> {
  let current = '';
  try {
    const words = fromIpSpelling(argv.slice(2), COMMAND_NAMES);
    const found: Invocation | number = plainInvocation(words, COMMAND_NAMES) ?? (await (await import('./program.js')).parseWithCommander(words));
    if (typeof found === 'number') return found;
    const { command, args } = found;
    current = printable([command, ...args.slice(0, 1)].join(' '), 40);
    const opts = globalOptions(found.globals, command);
    if (opts.dryRun && !opts.hex) opts.describeRequest = (await import('./describe.js')).describeRequest;
    const mod = await COMMANDS.find((c) => c.name === command)!.load();
    return (await mod.run(args, opts)) ?? 0;
  } catch (err) {
    const debug = argv.includes('--debug');
    const { line, code } = describeFailure(err, current);
    // Whatever the message quotes (names, file text), it reaches the terminal escaped and short.
    process.stderr.write(printable(line, 300) + '\n');
    if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    return code;
  }
}

// No top-level await: the bundle is CommonJS.
// Exit as soon as the command is done, not when the event loop drains: V8 would first run the
// young-generation collection it scheduled while the command ran (~0.6 ms of every start), and
// nothing is left to do (output is written, exit handlers run either way).
void main(process.argv).then((code) => {
  if (stdoutFlushed()) process.exit(code);
  process.exitCode = code;
});
