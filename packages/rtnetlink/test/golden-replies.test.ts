// Every message captured from iproute2 (requests and kernel replies) must survive the JSON form
// byte for byte, and every NEW* reply must survive its typed codec byte for byte.
import test from 'ava';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageBuilder, type Message } from '@vrfctl/netlink';
import { messageBytes } from '../../../test/support/messages.js';
import {
  RTM, decodeAddress, decodeLink, decodeNeighbour, decodeNexthop, decodeNexthopBucket, decodeRoute, decodeRule, encodeAddress,
  encodeLink, encodeNeighbour, encodeNexthop, encodeNexthopBucket, encodeRoute, encodeRule, WIRE, messageFromJson, messageToJson, parseBuffer, splitMessages,
} from '@vrfctl/rtnetlink';

const ROOT = fileURLToPath(new URL('../../../test/golden/fixtures/', import.meta.url));

interface Fixture { name: string; requests: string[]; replies: string[] }

function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? fixtureFiles(p) : f.endsWith('.json') ? [p] : [];
  });
}

const fixtures: Fixture[] = fixtureFiles(ROOT).map((f) => JSON.parse(readFileSync(f, 'utf8')) as Fixture);

const wire = messageBytes;

const typed: Record<number, [(m: Message) => unknown, (b: MessageBuilder, x: never) => void]> = {
  [RTM.NEWLINK]: [decodeLink, encodeLink],
  [RTM.NEWADDR]: [decodeAddress, encodeAddress],
  [RTM.NEWROUTE]: [decodeRoute, encodeRoute],
  [RTM.NEWRULE]: [decodeRule, encodeRule],
  [RTM.NEWNEIGH]: [decodeNeighbour, encodeNeighbour],
  [RTM.NEWNEXTHOP]: [decodeNexthop, encodeNexthop],
  [RTM.DELNEXTHOP]: [decodeNexthop, encodeNexthop],
  [RTM.GETNEXTHOP]: [decodeNexthop, encodeNexthop],
  [RTM.NEWNEXTHOPBUCKET]: [decodeNexthopBucket, encodeNexthopBucket],
  [RTM.GETNEXTHOPBUCKET]: [decodeNexthopBucket, encodeNexthopBucket],
};

test('fixtures are present', (t) => {
  t.true(fixtures.length > 100, `found ${fixtures.length}`);
});

test('every captured message round-trips through messageToJson/messageFromJson', (t) => {
  let count = 0;
  let hexFallbacks = 0;
  for (const fx of fixtures) {
    for (const hex of [...fx.requests, ...fx.replies]) {
      const { messages, trailing } = splitMessages(Buffer.from(hex, 'hex'));
      // iproute2 sends dump requests from a zeroed struct larger than the message.
      t.true(trailing.every((x) => x === 0), `${fx.name}: non-zero bytes after the messages`);
      for (const m of messages) {
        const json = messageToJson(m);
        const back = messageFromJson(JSON.parse(JSON.stringify(json)));
        t.deepEqual(back.toString('hex'), wire(m).toString('hex'), `${fx.name} message at ${m.offset}`);
        if ('payload' in json) hexFallbacks++;
        count++;
      }
    }
  }
  t.log(`${count} messages, ${hexFallbacks} shown as whole-payload hex`);
  t.true(count > 500);
});

test('every NEW* message round-trips through its typed codec', (t) => {
  let count = 0;
  let withOrder = 0;
  const b = new MessageBuilder(1 << 16);
  for (const fx of fixtures) {
    for (const hex of [...fx.replies, ...fx.requests]) {
      for (const m of splitMessages(Buffer.from(hex, 'hex')).messages) {
        const codec = typed[m.header.type];
        if (!codec) continue;
        const model = codec[0](m) as { [WIRE]?: { order?: number[] } };
        if (model[WIRE]?.order) withOrder++;
        b.reset();
        b.begin(m.header.type, m.header.flags, m.header.seq, m.header.pid);
        codec[1](b, model as never);
        b.end();
        t.is(b.bytes.subarray(16).toString('hex'), m.payload.toString('hex'), `${fx.name} type ${m.header.type} at ${m.offset}`);
        count++;
      }
    }
  }
  t.log(`${count} typed messages, ${withOrder} needed a recorded attribute order`);
  t.true(count > 200);
});

test('kernel route dump decodes to the expected model', (t) => {
  const fx = fixtures.find((f) => f.name === 'route/show-table100');
  t.truthy(fx);
  const routes = fx!.replies.flatMap((h) => parseBuffer(Buffer.from(h, 'hex'))).filter((m) => m.header.type === RTM.NEWROUTE).map(decodeRoute);
  t.true(routes.length > 0);
  for (const r of routes) t.is(r.table, 100);
});
