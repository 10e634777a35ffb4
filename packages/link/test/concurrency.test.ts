// Thousands of concurrent address changes on one socket: every promise ends with
// the kernel's own answer, the kernel's state is what the promises say, and the socket is usable
// afterwards. With the default receive buffer the device is named (each change looks it up);
// with the smallest buffer the kernel allows it is given by ifindex: a name lookup's reply
// (RTM_NEWLINK) is larger than such a buffer, so its ACK is dropped (an UnknownOutcomeError,
// see the issue's open item), while the changes' ACKs alone are paced without loss.
import test, { type ExecutionContext } from 'ava';
import { ExistsError, NETLINK_ROUTE, NotFoundError } from '@vrfctl/netlink';
import { UnknownOutcomeError, openNetlink } from '@vrfctl/socket';
import { linksAsync, type AddressSpec } from '../src/index.js';
import { ip, tempNetns } from '../../../test/support/netns.js';

const COUNT = 3000;

function ipv4(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** Which promises resolved; the others must be the kernel's refusal of the given class. */
function settle<S>(t: ExecutionContext, specs: S[], results: PromiseSettledResult<void>[], refusal: typeof ExistsError): S[] {
  const ok: S[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') ok.push(specs[i]);
    else {
      t.false(r.reason instanceof UnknownOutcomeError, String(r.reason));
      t.true(r.reason instanceof refusal && (r.reason as ExistsError).fromKernel, String(r.reason));
    }
  });
  return ok;
}

const CASES = [
  { label: 'default receive buffer, device by name', rcvbuf: undefined, byIndex: false },
  { label: 'smallest receive buffer, device by index', rcvbuf: 1, byIndex: true },
];

function veth(ns: string): number {
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  return (JSON.parse(ip(ns, '-j', 'link', 'show', 'v0')) as Array<{ ifindex: number }>)[0].ifindex;
}

for (const c of CASES) test.serial(`${COUNT} concurrent address adds then deletes, every 10th a repeat (${c.label})`, async (t) => {
  const ns = tempNetns(t);
  const index = veth(ns);
  const dev = c.byIndex ? index : 'v0';
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: c.rcvbuf });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const specs: AddressSpec[] = Array.from({ length: COUNT }, (_, i) => ({ dev, local: `${ipv4(i % 10 === 9 ? i : i + 1)}/32` }));
  const added = settle(t, specs, await Promise.allSettled(specs.map((s) => l.addAddress(s))), ExistsError);
  t.is(added.length, COUNT - COUNT / 10);
  const rows = JSON.parse(ip(ns, '-4', '-j', 'addr', 'show', 'dev', 'v0')) as Array<{ addr_info: Array<{ local: string }> }>;
  t.deepEqual(new Set(rows[0].addr_info.map((a) => `${a.local}/32`)), new Set(added.map((s) => s.local)));
  const deleted = settle(t, specs, await Promise.allSettled(specs.map((s) => l.deleteAddress(s))), NotFoundError);
  t.deepEqual(new Set(deleted.map((s) => s.local)), new Set(added.map((s) => s.local)));
  t.is((await l.listAddresses({ dev, family: 4 })).length, 0);
  await l.addAddress({ dev, local: '192.0.2.1/24' });
  t.is(nl.stats.overruns, 0);
  t.is(nl.stats.unknownOutcomes, 0);
  t.log(`rcvbuf ${nl.rcvbufBytes} B, ${nl.stats.paced} paced (loaded machine)`);
});
