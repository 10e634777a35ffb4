// The command lines most runs are, taken apart without commander: global flags each given as a
// whole word (-j, -n NAME, --dry-run…), then one of our command names, then words that do not
// start with '-'. Anything else (help, version, combined or abbreviated flags, --netns=NAME, an
// unknown command, a dash right after the command) is left to commander (program.ts), which
// answers as it always did. test/plain-argv.test.ts holds the two to the same result.
import { GLOBAL_SWITCHES, type Invocation, type RawGlobals } from './global-options.js';

/** Each spelling of a switch, and what it does to the flags. */
const SWITCHES: ReadonlyMap<string, (g: RawGlobals) => void> = new Map(
  GLOBAL_SWITCHES.flatMap((f) => {
    const set = f.counts ? (g: RawGlobals): void => void (g[f.key] += 1) : (g: RawGlobals): void => void (g[f.key] = true);
    return f.flags.map((flag) => [flag, set] as const);
  }),
);

/** words as an invocation when they are plain (see above); undefined for commander to parse. */
export function plainInvocation(words: readonly string[], commands: ReadonlySet<string>): Invocation | undefined {
  const globals: RawGlobals = { stats: 0, details: 0 };
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === '-n' || w === '--netns') {
      if (i + 1 === words.length) return undefined;
      globals.netns = words[++i];
      continue;
    }
    const set = SWITCHES.get(w);
    if (set === undefined) break;
    set(globals);
  }
  const command = words[i];
  if (command === undefined || !commands.has(command)) return undefined;
  const args = words.slice(i + 1);
  if (args.length > 0 && args[0].startsWith('-')) return undefined;
  return { command, args, globals };
}
