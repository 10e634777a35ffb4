// #19 item 6 end to end: `vrfctl add --rt-tables-name` merges its line into an existing file, a
// reserved name changes nothing, and `vrfctl del` removes the line add wrote (others' stay).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE } from '../src/errors.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

test('add merges into rt_tables.d, a reserved name is refused with nothing made, del removes only its line', (t) => {
  const ns = `vrfctl-t-${randomBytes(4).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-rt-'));
  mkdirSync(join(dir, 'rt_tables.d'));
  writeFileSync(join(dir, 'rt_tables'), '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n');
  const file = join(dir, 'rt_tables.d', 'red.conf');
  writeFileSync(file, '# site\n3001\tsite-a\n');
  const env = { ...process.env, VRFCTL_IPROUTE2_DIR: dir };
  const vrfctl = (...args: string[]) => spawnSync(process.execPath, [BIN, '-n', ns, ...args], { encoding: 'utf8', env });
  const refused = vrfctl('add', 't1', 'table', '2001', '--rt-tables-name=main');
  t.is(refused.status, EXIT_USAGE, refused.stderr);
  t.regex(refused.stderr, /table name "main" is reserved/);
  t.is(spawnSync('ip', ['-n', ns, 'link', 'show', 't1']).status, 1, 't1 was created');
  const add = vrfctl('add', 'red', 'table', '1001', '--rt-tables-name');
  t.is(add.status, 0, add.stderr);
  t.is(readFileSync(file, 'utf8'), '# site\n3001\tsite-a\n1001\tred\t# vrfctl vrf red\n');
  const del = vrfctl('del', 'red');
  t.is(del.status, 0, del.stderr);
  t.is(readFileSync(file, 'utf8'), '# site\n3001\tsite-a\n');
});
