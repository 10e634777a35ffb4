// Issue #19 item 6: `--rt-tables-name=main` wrote "2001 main" (after which `ip route add … table
// main` landed in 2001), an existing NAME.conf was replaced whole, and `vrfctl del` left the file.
// These run on the real filesystem in a throwaway directory and read the result back with ip.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, NameDatabase, RESERVED_TABLE_NAMES, checkTableName, removeTableNames, writeTableName } from '@vrfctl/iproute2';

function iproute2Dir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-rt-'));
  mkdirSync(join(dir, 'rt_tables.d'));
  writeFileSync(join(dir, 'rt_tables'), '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n100\tmgmt\n');
  return dir;
}

test('reserved names are refused whatever the id', (t) => {
  const dir = iproute2Dir();
  for (const name of RESERVED_TABLE_NAMES) {
    t.throws(() => writeTableName(name, 2001, dir, 't1'), { instanceOf: ArgumentError, message: new RegExp(`table name "${name}" is reserved`) });
  }
  t.false(existsSync(join(dir, 'rt_tables.d', 'main.conf')), 'main.conf written for a refused name');
});

test('a name that already names another table is refused; the same pair is accepted', (t) => {
  const dir = iproute2Dir();
  t.throws(() => checkTableName('mgmt', 2001, dir), { instanceOf: ArgumentError, message: /"mgmt" already names table 100/ });
  t.notThrows(() => checkTableName('mgmt', 100, dir));
  writeFileSync(join(dir, 'rt_tables.d', 'other.conf'), '3000 blue\n');
  t.throws(() => writeTableName('blue', 2002, dir, 'blue'), { message: /already names table 3000/ });
});

test('an existing file is merged into, not replaced; removal takes only the line vrfctl wrote', (t) => {
  const dir = iproute2Dir();
  const file = join(dir, 'rt_tables.d', 'foo.conf');
  const theirs = '# site tables\n3001\tfoo-a\n3002\tfoo-b';
  writeFileSync(file, theirs);
  t.is(writeTableName('foo', 2001, dir, 't1'), file);
  const merged = readFileSync(file, 'utf8');
  t.true(merged.startsWith(`${theirs}\n`), merged);
  t.regex(merged, /^2001\tfoo\t# vrfctl vrf t1$/m);
  // What iproute2 itself reads from the merged file (ip accepts the marker comment).
  const names = new NameDatabase('rt_tables', [], dir);
  t.is(names.id('foo', 'table'), 2001);
  t.is(names.id('foo-b', 'table'), 3002);
  // Written twice: one line.
  writeTableName('foo', 2001, dir, 't1');
  t.is(readFileSync(file, 'utf8').match(/^2001\t/gm)?.length, 1);
  t.deepEqual(removeTableNames(2001, dir, 't1'), [file]);
  t.is(readFileSync(file, 'utf8'), `${theirs}\n`);
  t.deepEqual(removeTableNames(2001, dir, 't1'), [], 'removed twice');
});

test('removal deletes a file left with no entry, and leaves other VRFs\' and unmarked lines', (t) => {
  const dir = iproute2Dir();
  const red = writeTableName('red', 1001, dir, 'red');
  const mine = join(dir, 'rt_tables.d', 'hand.conf');
  writeFileSync(mine, '1001\thand-made\n');
  t.deepEqual(removeTableNames(1001, dir, 'blue'), [], 'another VRF\'s line removed');
  t.deepEqual(removeTableNames(1001, dir, 'red'), [red]);
  t.false(existsSync(red));
  t.is(readFileSync(mine, 'utf8'), '1001\thand-made\n');
  // Files of earlier versions (header line, no per-line marker) count as vrfctl's.
  const old = join(dir, 'rt_tables.d', 'old.conf');
  writeFileSync(old, '# written by vrfctl\n1002\told\n');
  t.deepEqual(removeTableNames(1002, dir, 'old'), [old]);
  t.false(existsSync(old));
});

test('ip reads a merged file: a route added to table NAME lands in that table', (t) => {
  if (spawnSync('unshare', ['--version']).status !== 0 || spawnSync('ip', ['-V']).status !== 0) {
    t.log('SKIPPED LOUDLY: unshare or ip is missing: cannot check what ip reads');
    t.fail('unshare/ip missing');
    return;
  }
  const dir = iproute2Dir();
  writeFileSync(join(dir, 'rt_tables.d', 'blue.conf'), '# site\n3001\tsite-a\n');
  writeTableName('blue', 2001, dir, 'blue');
  // ip reads /etc/iproute2 only: a private mount namespace shows it our directory, a new netns a clean FIB.
  const script = `mount --bind ${dir} /etc/iproute2 && ip route add blackhole 10.9.0.0/16 table blue && ip route show table 2001 && ip rule add pref 5 lookup site-a && ip rule show pref 5 && ip -N rule show pref 5`;
  const r = spawnSync('unshare', ['-m', '-n', 'sh', '-c', script], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, 'blackhole 10.9.0.0/16 \n5:\tfrom all lookup site-a\n5:\tfrom all lookup 3001\n');
});
