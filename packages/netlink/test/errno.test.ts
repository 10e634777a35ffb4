import test from 'ava';
import { DecodeError, Errno, NetlinkError, errnoFromName, errnoName, strerror } from '@vrfctl/netlink';

test('errnoName and strerror for known numbers (glibc wording)', (t) => {
  // [number, name, glibc's text]; undefined where the test does not pin it.
  const known: Array<[number, string | undefined, string | undefined]> = [
    [17, 'EEXIST', 'File exists'],
    [2, 'ENOENT', 'No such file or directory'],
    [19, undefined, 'No such device'],
    [22, undefined, 'Invalid argument'],
    [95, undefined, 'Operation not supported'],
    [101, undefined, 'Network is unreachable'],
    [1, 'EPERM', 'Operation not permitted'],
    [132, 'ERFKILL', undefined],
    [133, 'EHWPOISON', 'Memory page has hardware error'],
  ];
  for (const [n, name, text] of known) {
    if (name !== undefined) t.is(errnoName(n), name);
    if (text !== undefined) t.is(strerror(n), text);
  }
});

test('unknown numbers: E<n> and "Unknown error <n>" (as glibc prints gaps like 41 and 58)', (t) => {
  for (const n of [0, 41, 58, 134, 999, 65535]) {
    t.is(errnoName(n), `E${n}`);
    t.is(strerror(n), `Unknown error ${n}`);
  }
});

test('errnoFromName inverts errnoName; Errno constants agree with the table', (t) => {
  t.is(errnoFromName('EEXIST'), 17);
  t.is(errnoFromName('ENOTSUP'), undefined, 'aliases are not in the table');
  t.is(errnoFromName('E999'), undefined);
  for (const [name, n] of Object.entries(Errno)) {
    t.is(errnoName(n), name);
    t.is(errnoFromName(name), n);
  }
  for (let n = 1; n <= 133; n++) {
    const name = errnoName(n);
    if (name !== `E${n}`) t.is(errnoFromName(name), n, name);
  }
});

test('NetlinkError message: code, description, then the extack message', (t) => {
  const e = new NetlinkError(17, { message: 'Nexthop id already exists', offset: 24 }, 5);
  t.is(e.message, 'EEXIST: File exists: Nexthop id already exists');
  t.is(e.name, 'NetlinkError');
  t.is(e.errno, 17);
  t.is(e.code, 'EEXIST');
  t.is(e.description, 'File exists');
  t.is(e.seq, 5);
  t.deepEqual(e.extack, { message: 'Nexthop id already exists', offset: 24 });
  t.true(e instanceof Error);
});

test('NetlinkError without extack text, and for an unknown errno', (t) => {
  const e = new NetlinkError(19);
  t.is(e.message, 'ENODEV: No such device');
  t.deepEqual(e.extack, {});
  t.is(e.seq, 0);
  t.is(new NetlinkError(22, { message: '' }).message, 'EINVAL: Invalid argument', 'empty extack text adds nothing');
  t.is(new NetlinkError(4242).message, 'E4242: Unknown error 4242');
});

test('DecodeError carries the offset in the property and the message', (t) => {
  const e = new DecodeError('bad thing', 12);
  t.is(e.message, 'bad thing at byte 12');
  t.is(e.offset, 12);
  t.is(e.name, 'DecodeError');
  t.true(e instanceof Error);
});
