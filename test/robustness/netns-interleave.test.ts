// Opening sockets in other namespaces, good and bad targets interleaved: the thread must be back
// in its own namespace after every single attempt, each good socket must see its own namespace,
// and no fd may leak.
import test from 'ava';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { getString, parseAttributes, NETLINK_ROUTE, type Message } from '@vrfctl/netlink';
import { SystemError, openNetlink, type NetnsTarget, type Request } from '@vrfctl/socket';
import { ip, tempNetns, threadNetns } from './helpers.js';

const linkDump: Request = { type: 18, flags: 0, encode: (b) => void b.reserve(16) };

function linkNames(msgs: Message[]): string[] {
  return msgs
    .filter((m) => m.header.type === 16)
    .map((m) => getString(parseAttributes(m.payload, 16).find((a) => a.type === 3)!.value))
    .sort();
}

const fdCount = () => readdirSync('/proc/self/fd').length;

test('interleaved good and bad netns targets never leave the thread in the wrong namespace', (t) => {
  const a = tempNetns(t);
  const b = tempNetns(t);
  ip(a, 'link', 'add', 'ma0', 'type', 'veth', 'peer', 'name', 'ma1');
  ip(b, 'link', 'add', 'mb0', 'type', 'veth', 'peer', 'name', 'mb1');
  const home = threadNetns();
  const fdA = openSync(`/run/netns/${a}`, 'r');
  const notNs = openSync('/proc/self/stat', 'r');
  const utsNs = openSync('/proc/self/ns/uts', 'r'); // a namespace, but not a network one
  // A closed fd: far above anything open (a recently closed low number may be reused at once).
  const closed = 987_654;
  t.teardown(() => [fdA, notNs, utsNs].forEach((fd) => closeSync(fd)));
  const fds = fdCount();

  const good: Array<[NetnsTarget, string[]]> = [
    [a, ['lo', 'ma0', 'ma1']],
    [b, ['lo', 'mb0', 'mb1']],
    [`/run/netns/${b}`, ['lo', 'mb0', 'mb1']],
    [fdA, ['lo', 'ma0', 'ma1']],
  ];
  // Each bad target and how it must fail: [target, error class, errno or message pattern].
  const bad: Array<[NetnsTarget, new (...args: never[]) => Error, string | RegExp]> = [
    ['vrfctl-t-missing-0000', SystemError, 'ENOENT'],
    ['/run/netns/vrfctl-t-missing-0000', SystemError, 'ENOENT'],
    ['/proc/self/stat', SystemError, 'EINVAL'],
    ['/run/netns', SystemError, 'EINVAL'], // a directory opens, but is no namespace
    [notNs, SystemError, 'EINVAL'],
    [utsNs, SystemError, 'EINVAL'],
    [closed, SystemError, 'EBADF'],
    [-1, SystemError, 'EBADF'],
    ['', RangeError, /invalid network namespace name/],
    ['..', RangeError, /invalid network namespace name/],
    ['a/b', RangeError, /invalid network namespace name/],
    // open() would stop at the NUL and quietly use namespace a.
    [`${a}\0b`, RangeError, /NUL/],
    [`/run/netns/${a}\0`, RangeError, /NUL/],
  ];
  const sockets = [];
  for (let round = 0; round < 25; round++) {
    for (let i = 0; i < Math.max(good.length, bad.length); i++) {
      const [gt, names] = good[(i + round) % good.length];
      const s = openNetlink(NETLINK_ROUTE, { netns: gt });
      t.is(threadNetns(), home, `after opening in ${String(gt)}`);
      sockets.push({ s, names, gt });
      const [bt, cls, what] = bad[(i + round) % bad.length];
      const err = t.throws(() => openNetlink(NETLINK_ROUTE, { netns: bt }), { instanceOf: cls }, `target ${JSON.stringify(bt)}`);
      if (typeof what === 'string') t.is((err as SystemError | undefined)?.code, what, `target ${JSON.stringify(bt)}`);
      else t.regex(err?.message ?? '', what);
      t.is(threadNetns(), home, `after failing on ${JSON.stringify(bt)}`);
    }
  }
  // Every good socket lives in the namespace it was opened in, whatever failed in between.
  for (const { s, names, gt } of sockets) {
    t.deepEqual(linkNames(s.dump(linkDump)), names, `socket opened with ${String(gt)}`);
    s.close();
  }
  t.is(fdCount(), fds, 'no fd leaked by failed opens');
  t.is(threadNetns(), home);
});

test('a home socket opened between foreign ones still sees the home namespace', (t) => {
  const a = tempNetns(t);
  ip(a, 'link', 'add', 'hx0', 'type', 'veth', 'peer', 'name', 'hx1');
  const home = threadNetns();
  const homeLinks = linkNames(openNetlink(NETLINK_ROUTE).dump(linkDump));
  for (let i = 0; i < 200; i++) {
    const s = i % 3 === 0 ? openNetlink(NETLINK_ROUTE) : (i % 3 === 1 ? openNetlink(NETLINK_ROUTE, { netns: a }) : openNetlink(NETLINK_ROUTE, { netns: `/run/netns/${a}` }));
    s.close();
  }
  t.throws(() => openNetlink(NETLINK_ROUTE, { netns: 'vrfctl-t-missing-1111' }), { instanceOf: SystemError });
  const s = openNetlink(NETLINK_ROUTE);
  t.teardown(() => s.close());
  t.deepEqual(linkNames(s.dump(linkDump)), homeLinks);
  t.false(homeLinks.includes('hx0'));
  t.is(threadNetns(), home);
});
