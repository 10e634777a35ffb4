// splitWords splits plain lines natively and the others character by character: both give the
// same words (and the same errors) for any line.
import test from 'ava';
import fc from 'fast-check';
import { splitQuotedWords, splitWords } from '../src/batch-input.js';

function outcome(split: (text: string) => string[], text: string): string[] | string {
  try {
    return split(text);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const chars = fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\r', '"', "'", '\\', '#', '\u00a0', 'é', 'a', 'b', '1', '/', ':', '.', '-');
const text = fc.array(chars, { maxLength: 24 }).map((cs) => cs.join(''));

test('the native split gives the words the character loop gives, for any line', (t) => {
  let plain = 0;
  fc.assert(
    fc.property(fc.oneof(text, text.map((s) => s.trim())), (s) => {
      const fast = outcome(splitWords, s);
      const slow = outcome(splitQuotedWords, s);
      if (!s.includes('  ') && /^[^\s"'\\#]+( [^\s"'\\#]+)*$/.test(s)) plain++;
      if (JSON.stringify(fast) !== JSON.stringify(slow)) throw new Error(`${JSON.stringify(s)}: ${JSON.stringify(fast)} vs ${JSON.stringify(slow)}`);
      return true;
    }),
    { numRuns: 20000 },
  );
  t.true(plain > 500, `${plain} plain lines`);
  t.deepEqual(splitWords('route add 10.0.0.1/32 dev lo table 100'), ['route', 'add', '10.0.0.1/32', 'dev', 'lo', 'table', '100']);
  t.deepEqual(splitWords('route add 10.0.0.1/32 dev "a b" # c'), ['route', 'add', '10.0.0.1/32', 'dev', 'a b']);
});
