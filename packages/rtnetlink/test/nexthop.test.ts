// The nexthop codec on messages captured from iproute2 and the kernel (test/golden/fixtures/nexthop):
// every field by name, group weights as ip counts them, unknown attributes kept, and `nl decode`'s
// JSON showing NHA_GROUP as id/weight pairs rather than hex.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageBuilder, type Message } from '@vrfctl/netlink';
import {
  NHA, RTM, decodeNexthop, decodeNexthopBucket, encodeNexthop, messageFromJson, messageToJson, nexthopEncap, splitMessages,
  type Nexthop,
} from '@vrfctl/rtnetlink';

const DIR = fileURLToPath(new URL('../../../test/golden/fixtures/nexthop/', import.meta.url));

function messages(name: string, which: 'requests' | 'replies'): Message[] {
  const fx = JSON.parse(readFileSync(`${DIR}${name}.json`, 'utf8')) as Record<'requests' | 'replies', string[]>;
  return fx[which].flatMap((h) => splitMessages(Buffer.from(h, 'hex')).messages);
}

function dumped(name: string): Nexthop[] {
  return messages(name, 'replies').filter((m) => m.header.type === RTM.NEWNEXTHOP).map(decodeNexthop);
}

test('a dump decodes to gateways, blackholes, groups with weights, resilient parameters and fdb', (t) => {
  const byId = new Map(dumped('show').map((n) => [n.id, n]));
  t.deepEqual([...byId.keys()].sort((a, b) => a! - b!), [1, 2, 4, 5, 10, 11, 20, 21]);
  t.like(byId.get(1), { family: 'inet', scope: 'link', gateway: '10.0.0.2', protocol: 'unspec' });
  t.is(typeof byId.get(1)!.oif, 'number');
  t.like(byId.get(2), { protocol: 'static', gateway: '10.0.0.3' });
  t.like(byId.get(4), { blackhole: true, family: 'inet' });
  t.like(byId.get(5), { family: 'inet6', gateway: 'fe80::a1' });
  t.deepEqual(byId.get(10)!.group, [{ id: 1, weight: 3 }, { id: 2, weight: 1 }]);
  t.is(byId.get(10)!.groupType, 'mpath');
  t.is(byId.get(11)!.groupType, 'resilient');
  t.like(byId.get(11)!.resilient, { buckets: 4, idleTimer: 1000, unbalancedTimer: 2000, unbalancedTime: 0n });
  t.like(byId.get(20), { fdb: true, gateway: '10.0.0.4' });
  t.like(byId.get(21), { fdb: true, group: [{ id: 20, weight: 1 }] });
});

test('attributes the model does not name stay raw and go back out unchanged', (t) => {
  // This kernel sends NHA_OP_FLAGS on groups; older ones do not. Either way nothing is dropped.
  const group = dumped('show').find((n) => n.id === 10)!;
  const b = new MessageBuilder();
  b.begin(RTM.NEWNEXTHOP, 0);
  encodeNexthop(b, group);
  b.end();
  const original = messages('show', 'replies').find((m) => m.header.type === RTM.NEWNEXTHOP && decodeNexthop(m).id === 10)!;
  t.is(b.bytes.subarray(16).toString('hex'), original.payload.toString('hex'));
  t.true(group.unknown.every((a) => a.type !== NHA.GROUP && a.type !== NHA.ID));
});

test('an encap nexthop keeps NHA_ENCAP raw and names its type', (t) => {
  const [req] = messages('add-encap-ip', 'requests').map(decodeNexthop);
  t.is(req.encapType, 'ip');
  const encap = nexthopEncap(req);
  t.truthy(encap);
  t.true(encap!.nested);
  t.is(req.gateway, '10.0.0.2');
});

test('buckets decode with their index, nexthop and idle time', (t) => {
  const buckets = messages('bucket-show', 'replies').filter((m) => m.header.type === RTM.NEWNEXTHOPBUCKET).map(decodeNexthopBucket);
  t.is(buckets.length, 4);
  t.deepEqual(buckets.map((b) => b.bucket!.index).sort(), [0, 1, 2, 3]);
  for (const b of buckets) {
    t.is(b.id, 11);
    t.true([1, 2].includes(b.bucket!.nhId!));
    t.is(typeof b.bucket!.idleTime, 'bigint');
  }
});

test('nl decode shows NHA_GROUP as id/weight pairs and the nests by name, and encodes them back', (t) => {
  const [m] = messages('add-group-resilient', 'requests');
  const json = messageToJson(m);
  const attrs = json.attributes as Array<{ type: string; value?: unknown; hex?: string }>;
  const group = attrs.find((a) => a.type === 'NHA_GROUP')!;
  t.deepEqual(group.value, [{ id: 1, weight: 1 }, { id: 2, weight: 1 }]);
  t.is(group.hex, undefined);
  const res = attrs.find((a) => a.type === 'NHA_RES_GROUP')!;
  t.deepEqual(res.value, [
    { type: 'NHA_RES_GROUP_BUCKETS', value: 8 }, { type: 'NHA_RES_GROUP_IDLE_TIMER', value: 1000 },
    { type: 'NHA_RES_GROUP_UNBALANCED_TIMER', value: 2000 },
  ]);
  t.deepEqual(json.nhmsg, { family: 'unspec', scope: 0, protocol: 0, flags: 0 });
  const [w] = messages('add-group-weights', 'requests');
  const wj = messageToJson(w);
  t.deepEqual((wj.attributes as Array<{ type: string; value?: unknown }>).find((a) => a.type === 'NHA_GROUP')!.value, [{ id: 1, weight: 3 }, { id: 2, weight: 1 }]);
  t.is(messageFromJson(wj).subarray(16).toString('hex'), w.payload.toString('hex'));
});

test('a group whose reserved bytes are set is shown as hex, never altered', (t) => {
  const [m] = messages('add-group', 'requests');
  const p = Buffer.from(m.payload);
  // NHA_GROUP's first member: resvd2 at offset 8 (nhmsg) + 8 (NHA_ID) + 4 (header) + 6.
  p.writeUInt16LE(1, 8 + 8 + 4 + 6);
  const json = messageToJson({ ...m, payload: p });
  const group = (json.attributes as Array<{ type: string; value?: unknown; hex?: string }>).find((a) => a.type === 'NHA_GROUP')!;
  t.is(group.value, undefined);
  t.truthy(group.hex);
  t.is(decodeNexthop({ ...m, payload: p }).group, undefined);
});
