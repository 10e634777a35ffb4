// writeTableName (rt_tables.d/NAME.conf): atomic, readable by everyone, nothing left behind,
// and bad names and ids refused before anything touches the disk.
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@vrfctl/iproute2';
import { NameDatabase, writeTableName } from '@vrfctl/iproute2';

function tempDir(t: import('ava').ExecutionContext): string {
  const d = mkdtempSync(join(tmpdir(), 'vrfctl-iproute2-'));
  t.teardown(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test('writes ID and NAME with mode 0644, no temp file left, readable back as a table name', (t) => {
  const dir = tempDir(t);
  const path = writeTableName('mgmt', 1000, dir);
  t.is(path, join(dir, 'rt_tables.d', 'mgmt.conf'));
  t.is(statSync(path).mode & 0o777, 0o644);
  t.is(statSync(join(dir, 'rt_tables.d')).mode & 0o777, 0o755);
  t.is(readFileSync(path, 'utf8'), '1000\tmgmt\t# vrfctl\n');
  t.deepEqual(readdirSync(join(dir, 'rt_tables.d')), ['mgmt.conf']);
  const db = new NameDatabase('rt_tables', [], dir);
  t.is(db.id('mgmt', 'table'), 1000);
  t.is(db.name(1000), 'mgmt');
});

test('adding a line replaces the file whole (rename), keeping what was there', (t) => {
  const dir = tempDir(t);
  const first = writeTableName('red', 1001, dir);
  const inode = statSync(first).ino;
  writeTableName('red', 1001, dir, 'red');
  t.is(readFileSync(first, 'utf8'), '1001\tred\t# vrfctl\n');
  t.is(statSync(first).ino, inode, 'the line is there already: nothing written');
  writeFileSync(first, '1001\tred\n');
  const owned = statSync(first).ino;
  writeTableName('red', 1001, dir, 'red');
  t.is(readFileSync(first, 'utf8'), '1001\tred\n', 'an equal line someone else wrote is kept as it is');
  t.is(statSync(first).ino, owned);
  t.throws(() => writeTableName('red', 1002, dir), { instanceOf: ArgumentError, message: /already names table 1001/ });
  t.is(readFileSync(first, 'utf8'), '1001\tred\n', 'a refused rename changes nothing');
  t.deepEqual(readdirSync(join(dir, 'rt_tables.d')), ['red.conf']);
});

for (const bad of ['../x', 'a/b', '', '.', '..', 'x\ny', 'x y', '/abs', 'x\0y', 'a'.repeat(65)]) {
  test(`invalid name ${JSON.stringify(bad)} is refused without touching the disk`, (t) => {
    const dir = tempDir(t);
    t.throws(() => writeTableName(bad, 100, dir), { instanceOf: ArgumentError });
    t.deepEqual(readdirSync(dir), [], 'not even rt_tables.d was created');
    t.false(existsSync(join(dir, 'x')));
  });
}

// The umask must not narrow the mode: a root shell with umask 077 would otherwise write a
// 0600 file that iproute2 run by other users cannot read.
test('mode is 0644 whatever the umask', (t) => {
  const dir = tempDir(t);
  const old = process.umask(0o077);
  try {
    const path = writeTableName('blue', 1003, dir);
    t.is(statSync(path).mode & 0o777, 0o644);
  } finally {
    process.umask(old);
  }
});

// The table id is checked: garbage must never land in a file iproute2 parses.
test('an invalid table id is refused without touching the disk', (t) => {
  const dir = tempDir(t);
  for (const id of [-1, 0, 1.5, Number.NaN, 2 ** 32]) {
    t.throws(() => writeTableName('green', id, dir), { instanceOf: ArgumentError }, `id ${id}`);
  }
  t.deepEqual(readdirSync(dir), []);
});

// A failed write (here: the target name is a directory, so rename fails) leaves no
// NAME.conf.tmp-PID behind.
test('a failed write leaves no temp file behind', (t) => {
  const dir = tempDir(t);
  writeTableName('seed', 1, dir); // creates rt_tables.d
  const d = join(dir, 'rt_tables.d');
  rmSync(join(d, 'seed.conf'));
  mkdirSync(join(d, 'busy.conf', 'sub'), { recursive: true });
  t.throws(() => writeTableName('busy', 1004, dir));
  t.deepEqual(readdirSync(d).sort(), ['busy.conf']);
});
