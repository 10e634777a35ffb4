import test from 'ava';
import { closeSync, openSync } from 'node:fs';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { SystemError, openNetlink } from '../src/index.js';
import { currentNetnsInode, ip, linkDump, linkNames, openFdCount, tempNetns } from './helpers.js';

test('a socket opened in a named netns sees only that netns, and the thread returns home', (t) => {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'nsa0', 'type', 'veth', 'peer', 'name', 'nsb0');
  const home = currentNetnsInode();
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  t.is(currentNetnsInode(), home);
  t.deepEqual(linkNames(s.dump(linkDump)).sort(), ['lo', 'nsa0', 'nsb0']);
});

test('by path and by open fd too; the caller keeps its fd', (t) => {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'pa0', 'type', 'veth', 'peer', 'name', 'pb0');
  const home = currentNetnsInode();
  const byPath = openNetlink(NETLINK_ROUTE, { netns: `/run/netns/${ns}` });
  t.deepEqual(linkNames(byPath.dump(linkDump)).sort(), ['lo', 'pa0', 'pb0']);
  byPath.close();
  const fd = openSync(`/run/netns/${ns}`, 'r');
  const byFd = openNetlink(NETLINK_ROUTE, { netns: fd });
  t.deepEqual(linkNames(byFd.dump(linkDump)).sort(), ['lo', 'pa0', 'pb0']);
  byFd.close();
  closeSync(fd); // would throw EBADF if the socket code had closed it
  t.is(currentNetnsInode(), home);
});

test('opening in a missing netns is a typed error and restores the namespace without leaking fds', (t) => {
  const home = currentNetnsInode();
  const fds = openFdCount();
  const err = t.throws(() => openNetlink(NETLINK_ROUTE, { netns: 'vrfctl-test-does-not-exist' }), { instanceOf: SystemError });
  t.is(err?.code, 'ENOENT');
  t.is(err?.syscall, 'open(/run/netns/vrfctl-test-does-not-exist)');
  // A path that opens but is not a namespace: setns itself fails after the switch was prepared.
  const err2 = t.throws(() => openNetlink(NETLINK_ROUTE, { netns: '/proc/self/stat' }), { instanceOf: SystemError });
  t.is(err2?.code, 'EINVAL');
  t.regex(err2?.syscall ?? '', /^setns/);
  t.is(currentNetnsInode(), home);
  t.is(openFdCount(), fds);
});

test('1,000 open/close cycles in a netns leave the fd count and the namespace unchanged', (t) => {
  const ns = tempNetns(t);
  const home = currentNetnsInode();
  const before = openFdCount();
  for (let i = 0; i < 1000; i++) openNetlink(NETLINK_ROUTE, { netns: ns }).close();
  t.is(openFdCount(), before);
  t.is(currentNetnsInode(), home);
});
