// plain-argv.ts takes the common command lines apart without commander: whatever it accepts,
// commander (program.ts) must read the same way: the same command, words and options.
import test from 'ava';
import fc from 'fast-check';
import { plainInvocation } from '../src/plain-argv.js';
import { parseWithCommander } from '../src/program.js';
import { COMMAND_NAMES } from '../src/command-table.js';
import { globalOptions, type Invocation } from '../src/global-options.js';

/** What a command would see: its name, its words and its options (or the refusal of the options). */
function seen(inv: Invocation | number): unknown {
  if (typeof inv === 'number') return { exit: inv };
  let opts: unknown;
  try {
    opts = globalOptions(inv.globals, inv.command);
  } catch (err) {
    opts = { refused: (err as Error).message };
  }
  return { command: inv.command, args: inv.args, opts };
}

async function same(t: import('ava').ExecutionContext, words: string[]): Promise<boolean> {
  const plain = plainInvocation(words, COMMAND_NAMES);
  if (plain === undefined) return false;
  t.deepEqual(seen(plain), seen(await parseWithCommander(words)), words.join(' '));
  return true;
}

test('the common command lines are taken apart as commander takes them', async (t) => {
  const lines = [
    'list', '-j list', '--json -p list', '-n red list', '--netns /run/netns/red -4 route show table 100', '-6 -j route show',
    '-s -s link show', '--stats -d link show dev v0', '-o --brief addr', '--dry-run --hex route add 10.0.0.0/8 dev v0', '--debug batch f',
    '-j -j list', '-n a -n b list', '-4 -6 list', '--hex list', '-d list', '-n .. list', 'exec mgmt -- ssh -h host', 'route show -h',
    'vrf show', 'netns exec blue ip link', '-n -j list',
  ];
  let plain = 0;
  for (const line of lines) if (await same(t, line.split(' '))) plain++;
  t.is(plain, lines.length, 'every line above is a plain one');
});

test('help, version, abbreviations and odd spellings are left to commander', (t) => {
  for (const line of ['', '--help', '-h', '-V', '--version', 'list --help', 'route -h', '-jp list', '--netns=red list', '-nred list',
    'nosuch', '-x list', '-- list', 'help list', '-n', 'list -j', '-j']) {
    t.is(plainInvocation(line === '' ? [] : line.split(' '), COMMAND_NAMES), undefined, line);
  }
});

test('any mix of flags, names and words: what plain-argv accepts, commander reads the same way', async (t) => {
  const word = fc.constantFrom('-4', '-6', '-j', '--json', '-p', '--pretty', '-s', '--stats', '-d', '--details', '-o', '--oneline',
    '--brief', '--dry-run', '--hex', '--debug', '-n', '--netns', 'red', '/run/netns/x', '', 'list', 'route', 'show', 'link', 'exec',
    '--', '-x', '-h', '--help', 'help', 'add', 'table', '100', '-', '--netns=red', '-jp');
  let plain = 0;
  await fc.assert(fc.asyncProperty(fc.array(word, { maxLength: 8 }), async (words) => {
    if (await same(t, words)) plain++;
  }), { numRuns: 3000 });
  t.log(`${plain} of 3000 generated lines were plain`);
});

test('plain lines built from their parts: all taken apart, as commander takes them', async (t) => {
  const flag = fc.oneof(
    fc.constantFrom('-4', '-6', '-j', '--json', '-p', '--pretty', '-s', '--stats', '-d', '--details', '-o', '--oneline', '--brief',
      '--dry-run', '--hex', '--debug').map((f) => [f]),
    fc.tuple(fc.constantFrom('-n', '--netns'), fc.constantFrom('red', '/run/netns/x', '', '..', '-j', 'list')).map(([f, v]) => [f, v]),
  );
  const first = fc.constantFrom('show', 'add', 'table', '100', 'mgmt', '', 'help', 'list');
  const later = fc.constantFrom('show', 'dev', 'v0', '--', '-h', '--help', '-j', '-', 'via', '10.0.0.1');
  const line = fc.tuple(fc.array(flag, { maxLength: 5 }), fc.constantFrom(...COMMAND_NAMES), fc.option(fc.tuple(first, fc.array(later, { maxLength: 4 }))))
    .map(([flags, command, rest]) => [...flags.flat(), command, ...(rest === null ? [] : [rest[0], ...rest[1]])]);
  await fc.assert(fc.asyncProperty(line, async (words) => {
    t.true(await same(t, words), words.join(' '));
  }), { numRuns: 1000 });
});
