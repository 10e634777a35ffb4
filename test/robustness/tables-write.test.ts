// writeTableName (rt_tables.d/NAME.conf): atomic, readable by everyone, nothing left behind,
// and bad names and ids refused before anything touches the disk.
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  t.is(readFileSync(path, 'utf8'), '# written by vrfctl\n1000\tmgmt\n');
  t.deepEqual(readdirSync(join(dir, 'rt_tables.d')), ['mgmt.conf']);
  const db = new NameDatabase('rt_tables', [], dir);
  t.is(db.id('mgmt', 'table'), 1000);
  t.is(db.name(1000), 'mgmt');
});

test('rewriting replaces the file whole (rename), never appends', (t) => {
  const dir = tempDir(t);
  const first = writeTableName('red', 1001, dir);
  const inode = statSync(first).ino;
  writeTableName('red', 1002, dir);
  t.is(readFileSync(first, 'utf8'), '# written by vrfctl\n1002\tred\n');
  t.not(statSync(first).ino, inode, 'a new file was renamed over the old one');
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
