// The iproute2-syntax parser and the encoder, without a kernel: keyword order, defaults, errors.
import test from 'ava';
import { MessageBuilder, parseAttributes } from '@vrfctl/netlink';
import { RTA, RTN } from '@vrfctl/rtnetlink';
import { encodeRequest } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import { parseRouteCommand, parseRouteFilter, parseRouteQuery, parseRouteSpec, routeChangeRequest } from '../src/index.js';

function attrTypes(spec: Parameters<typeof routeChangeRequest>[1], op: Parameters<typeof routeChangeRequest>[0] = 'add', oif?: number): number[] {
  const bytes = encodeRequest(routeChangeRequest(op, spec, { hopIndexes: [], oif }), new MessageBuilder());
  return parseAttributes(bytes.subarray(16), 12).map((a) => a.type);
}

function header(spec: Parameters<typeof routeChangeRequest>[1], op: Parameters<typeof routeChangeRequest>[0] = 'add'): Buffer {
  return encodeRequest(routeChangeRequest(op, spec, { hopIndexes: [] }), new MessageBuilder()).subarray(16, 28);
}

test('keywords are recorded in the order typed; dev, metrics and nexthops come after', (t) => {
  const spec = parseRouteSpec(['metric', '5', 'via', '10.0.0.2', '10.9.0.0/16', 'mtu', '1400', 'src', '10.0.0.1', 'dev', 'v0']);
  t.deepEqual(spec.order, ['metric', 'gateway', 'dst', 'prefsrc']);
  t.deepEqual(attrTypes(spec, 'add', 3), [RTA.PRIORITY, RTA.GATEWAY, RTA.DST, RTA.PREFSRC, RTA.OIF, RTA.METRICS]);
});

test('a library spec without order gets the order of a typical ip line', (t) => {
  t.deepEqual(attrTypes({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 1000, metric: 7 }), [RTA.DST, RTA.GATEWAY, RTA.PRIORITY, RTA.TABLE]);
});

test('defaults as iproute2: proto boot, scope from type and gateway, local table for local routes', (t) => {
  // family, dst_len, src_len, tos, table, protocol, scope, type
  t.deepEqual([...header({ dst: '10.9.0.0/16', gateway: '10.0.0.2' }).subarray(0, 8)], [2, 16, 0, 0, 254, 3, 0, RTN.unicast]);
  t.deepEqual([...header({ dst: '10.9.0.0/16', dev: 3 }).subarray(0, 8)], [2, 16, 0, 0, 254, 3, 253, RTN.unicast]);
  t.deepEqual([...header({ dst: '192.0.2.1', type: 'local' }).subarray(0, 8)], [2, 32, 0, 0, 255, 3, 254, RTN.local]);
  t.deepEqual([...header({ dst: '10.0.0.255', type: 'broadcast' }).subarray(0, 8)], [2, 32, 0, 0, 255, 3, 253, RTN.broadcast]);
  t.deepEqual([...header({ dst: 'default', type: 'unreachable', table: 100 }).subarray(0, 8)], [2, 0, 0, 0, 100, 3, 0, RTN.unreachable]);
  t.deepEqual([...header({ dst: '2001:db8::/32', dev: 3 }).subarray(0, 8)], [10, 32, 0, 0, 254, 3, 0, RTN.unicast]);
  // delete: protocol, type any; scope nowhere for IPv4, universe for IPv6
  t.deepEqual([...header({ dst: '10.9.0.0/16' }, 'delete').subarray(0, 8)], [2, 16, 0, 0, 254, 0, 255, 0]);
  t.deepEqual([...header({ dst: '2001:db8::/32' }, 'delete').subarray(0, 8)], [10, 32, 0, 0, 254, 0, 0, 0]);
  // tables above 255: rtm_table unspec and RTA_TABLE
  t.is(header({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 1000 })[4], 0);
});

test('the family comes from the first address; "default" waits for one', (t) => {
  t.is(parseRouteSpec(['default', 'via', '2001:db8::1']).family, 6);
  t.is(parseRouteSpec(['10.9.0.0/16', 'via', 'inet6', 'fe80::1', 'dev', 'v0']).family, 4);
  t.is(parseRouteSpec(['default', 'dev', 'v0']).family, undefined);
  t.is(header({ dst: 'default', dev: 1 })[0], 2);
});

test('a gateway of the other family becomes RTA_VIA', (t) => {
  const spec = parseRouteSpec(['10.9.0.0/16', 'via', 'inet6', 'fe80::1']);
  t.deepEqual(attrTypes(spec), [RTA.DST, RTA.VIA]);
});

test('metrics: lock bits, units as ip converts them, rto_min always locked', (t) => {
  const spec = parseRouteSpec(['10.9.0.0/16', 'via', '10.0.0.2', 'mtu', 'lock', '1400', 'rtt', '10ms', 'rttvar', '3', 'rto_min', '1s', 'congctl', 'cubic']);
  t.deepEqual(spec.metrics, { mtu: 1400, rtt: 80, rttvar: 3, rto_min: 1000, congctl: 'cubic' });
  t.deepEqual(spec.lock, ['mtu', 'rto_min']);
});

test('multipath: weights, devices and onlink per hop', (t) => {
  const spec = parseRouteSpec(['10.9.0.0/16', 'nexthop', 'via', '10.0.0.2', 'dev', 'v0', 'weight', '3', 'onlink', 'nexthop', 'dev', 'v1']);
  t.deepEqual(spec.nexthops, [{ gateway: '10.0.0.2', dev: 'v0', weight: 3, onlink: true, order: ['gateway'] }, { dev: 'v1' }]);
  t.throws(() => parseRouteSpec(['10.9.0.0/16', 'nexthop', 'via', '10.0.0.2', 'table', '5']), { instanceOf: ArgumentError, message: /"table"/ });
});

test('bad words are ArgumentErrors that name the word', (t) => {
  const bad: Array<[string[], RegExp]> = [
    [['10.0.0.0/33'], /"10\.0\.0\.0\/33"/],
    [['10.9.0.0/16', 'via', '2001:db8::1'], /"2001:db8::1"/],
    [['-6-is-not-a-prefix'], /"-6-is-not-a-prefix"/],
    [['10.9.0.0/16', 'metric'], /"metric" needs a value/],
    [['10.9.0.0/16', 'hoplimit', '300'], /"300"/],
    [['10.9.0.0/16', '10.8.0.0/16'], /"10\.8\.0\.0\/16"/],
    [['10.9.0.0/16', 'via', '10.0.0.2', 'via', '10.0.0.3'], /nexthop syntax/],
    [['10.9.0.0/16', 'encap', 'mpls', '100'], /encap/],
  ];
  for (const [words, re] of bad) t.throws(() => parseRouteSpec(words), { instanceOf: ArgumentError, message: re }, words.join(' '));
});

test('subcommands and their abbreviations resolve as in ip', (t) => {
  const op = (w: string[]) => {
    const c = parseRouteCommand(w);
    return c.kind === 'change' ? c.op : c.kind;
  };
  t.is(op(['a', '10.0.0.0/8', 'dev', 'lo']), 'add');
  t.is(op(['chg', '10.0.0.0/8', 'dev', 'lo']), 'change');
  t.is(op(['c', '10.0.0.0/8', 'dev', 'lo']), 'change');
  t.is(op(['r', '10.0.0.0/8', 'dev', 'lo']), 'replace');
  t.is(op(['del', '10.0.0.0/8']), 'delete');
  t.is(op(['append', '10.0.0.0/8', 'dev', 'lo']), 'append');
  t.is(op(['prepend', '10.0.0.0/8', 'dev', 'lo']), 'prepend');
  t.is(op(['lst']), 'list');
  t.is(op([]), 'list');
  t.is(op(['get', '10.0.0.1']), 'get');
  t.is(op(['flush', 'table', '100']), 'flush');
});

test('selectors: ip shows IPv4 of main unless told otherwise', (t) => {
  t.deepEqual(parseRouteFilter([]), { family: 4 });
  t.deepEqual(parseRouteFilter(['table', 'all']), { table: 'all' });
  t.deepEqual(parseRouteFilter(['vrf', 'blue', 'proto', 'kernel', 'type', 'unicast']), { vrf: 'blue', protocol: 2, type: 1, family: 4 });
  t.deepEqual(parseRouteFilter(['root', '10.0.0.0/8', 'dev', 'v0'], { family: 4 }), { family: 4, root: '10.0.0.0/8', dev: 'v0' });
});

test('lookups keep the order of their inline attributes', (t) => {
  const q = parseRouteQuery(['dport', '80', '10.9.1.1', 'from', '10.0.0.1', 'ipproto', 'udp', 'vrf', 'blue', 'fibmatch']);
  t.deepEqual(q.order, ['dport', 'to', 'from', 'ipproto']);
  t.is(q.ipproto, 17);
  t.is(q.vrf, 'blue');
  t.true(q.fibmatch);
  t.throws(() => parseRouteQuery(['from', '10.0.0.1']), { instanceOf: ArgumentError, message: /destination/ });
});
