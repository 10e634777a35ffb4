// The command lines most runs are, taken apart without commander: global flags each given as a
// whole word (-j, -n NAME, --dry-run…), then one of our command names, then words that do not
// start with '-'. Anything else (help, version, combined or abbreviated flags, --netns=NAME, an
// unknown command, a dash right after the command) is left to commander (program.ts), which
// answers as it always did. test/plain-argv.test.ts holds the two to the same result.
import type { Invocation, RawGlobals } from './global-options.js';

const SWITCHES: ReadonlyMap<string, (g: RawGlobals) => void> = new Map<string, (g: RawGlobals) => void>([
  ['-4', (g) => (g[4] = true)],
  ['-6', (g) => (g[6] = true)],
  ['-j', (g) => (g.json = true)],
  ['--json', (g) => (g.json = true)],
  ['-p', (g) => (g.pretty = true)],
  ['--pretty', (g) => (g.pretty = true)],
  ['-s', (g) => g.stats++],
  ['--stats', (g) => g.stats++],
  ['-d', (g) => g.details++],
  ['--details', (g) => g.details++],
  ['-o', (g) => (g.oneline = true)],
  ['--oneline', (g) => (g.oneline = true)],
  ['--brief', (g) => (g.brief = true)],
  ['--dry-run', (g) => (g.dryRun = true)],
  ['--hex', (g) => (g.hex = true)],
  ['--debug', (g) => (g.debug = true)],
]);

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
