// `vrfctl route` against `ip route` on the same kernel: for each keyword, the routes after our
// command equal those after ip's in a twin namespace, and our text and -j output equal ip's.
import test from 'ava';
import { same, sameOutput } from './route-twins.js';

const cases: Array<{ title: string; words: string[]; family?: 4 | 6; extra?: string[][]; show?: string[] }> = [
  { title: 'via', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2'] },
  { title: 'dev', words: ['add', '10.9.0.0/16', 'dev', 'v0'] },
  { title: 'default via', words: ['add', 'default', 'via', '10.0.0.2'] },
  { title: 'to keyword and host route', words: ['add', 'to', '10.9.9.9', 'dev', 'br0'] },
  { title: 'blackhole', words: ['add', 'blackhole', '192.0.2.0/24'] },
  { title: 'unreachable', words: ['add', 'unreachable', '192.0.2.0/24', 'table', '100'] },
  { title: 'prohibit', words: ['add', 'prohibit', '192.0.2.0/24', 'metric', '7'] },
  { title: 'throw', words: ['add', 'throw', '192.0.2.0/24', 'table', '1000'] },
  { title: 'local', words: ['add', 'local', '192.0.2.1', 'dev', 'v0', 'table', 'local'] },
  { title: 'broadcast', words: ['add', 'broadcast', '10.0.5.255', 'dev', 'v0', 'table', 'local', 'scope', 'link', 'src', '10.0.0.1'] },
  { title: 'metric', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'metric', '50'] },
  { title: 'priority and preference spellings', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'preference', '9'] },
  { title: 'proto static', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'proto', 'static'] },
  { title: 'protocol number', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'protocol', '200'] },
  { title: 'scope link', words: ['add', '10.9.0.0/16', 'dev', 'v0', 'scope', 'link'] },
  { title: 'src', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'src', '10.0.0.1'] },
  { title: 'table by number above 255', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'table', '100000'] },
  { title: 'table by name', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'table', 'default'] },
  { title: 'mtu lock, advmss, hoplimit', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'mtu', 'lock', '1400', 'advmss', '1360', 'hoplimit', '10'] },
  {
    title: 'rtt, rttvar, rto_min, window, cwnd, initcwnd, initrwnd, ssthresh, reordering',
    words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'rtt', '10ms', 'rttvar', '5ms', 'rto_min', '200ms', 'window', '1000', 'cwnd', '10', 'initcwnd', '12', 'initrwnd', '13', 'ssthresh', '99', 'reordering', '4'],
  },
  { title: 'congctl lock, features ecn, quickack', words: ['add', '10.9.0.0/16', 'via', '10.0.0.2', 'congctl', 'lock', 'cubic', 'features', 'ecn', 'quickack', '1'] },
  { title: 'onlink', words: ['add', '10.9.0.0/16', 'via', '192.0.2.1', 'dev', 'v0', 'onlink'] },
  { title: 'tos and realms', words: ['add', '10.5.0.0/16', 'dev', 'v0', 'tos', '0x10', 'realms', '3/4'] },
  { title: 'multipath with weights', words: ['add', '10.9.0.0/16', 'nexthop', 'via', '10.0.0.2', 'weight', '1', 'nexthop', 'via', '192.168.7.2', 'dev', 'br0', 'weight', '3'] },
  { title: 'v4 via v6 nexthop', words: ['add', '10.9.0.0/16', 'via', 'inet6', 'fe80::1', 'dev', 'v0'] },
  { title: 'v6 via', words: ['add', '2001:db8:1::/48', 'via', '2001:db8::2'] },
  { title: 'v6 dev metric', words: ['add', '2001:db8:9::/48', 'dev', 'v0', 'metric', '256'], family: 6 },
  { title: 'v6 pref high', words: ['add', '2001:db8:1::/48', 'via', '2001:db8::2', 'pref', 'high'] },
  { title: 'v6 multipath', words: ['add', '2001:db8:1::/48', 'nexthop', 'via', '2001:db8::2', 'nexthop', 'via', '2001:db8::3'], family: 6 },
  { title: 'v6 unreachable default in a table', words: ['add', 'unreachable', 'default', 'table', '100', 'metric', '4278198272'], family: 6 },
  { title: 'replace (new)', words: ['replace', '10.9.0.0/16', 'via', '10.0.0.3'] },
  { title: 'replace (existing)', words: ['replace', '10.9.0.0/16', 'via', '10.0.0.3'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']] },
  { title: 'change', words: ['change', '10.9.0.0/16', 'via', '10.0.0.4'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']] },
  { title: 'append (v4: a second route)', words: ['append', '10.9.0.0/16', 'via', '10.0.0.3'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']] },
  { title: 'append (v6: another nexthop)', words: ['append', '2001:db8:1::/48', 'via', '2001:db8::3'], extra: [['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2']] },
  { title: 'prepend', words: ['prepend', '10.9.0.0/16', 'via', '10.0.0.3'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']] },
  { title: 'del', words: ['del', '10.9.0.0/16'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']] },
  { title: 'del via', words: ['del', '10.9.0.0/16', 'via', '10.0.0.3'], extra: [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2'], ['route', 'append', '10.9.0.0/16', 'via', '10.0.0.3']] },
  { title: 'del in a table', words: ['delete', '10.8.0.0/16', 'table', '100'], extra: [['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100']] },
  { title: 'del v6', words: ['del', '2001:db8:1::/48'], family: 6, extra: [['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2']] },
  { title: 'abbreviated keywords (a, metr, proto, tab)', words: ['a', '10.9.0.0/16', 'via', '10.0.0.2', 'metr', '5', 'proto', 'static', 'tab', '100'] },
];

for (const c of cases) {
  test(`route ${c.title}: state and output equal ip's (${c.words.join(' ')})`, (t) => {
    const ns = same(t, c.words, { family: c.family, extra: c.extra });
    sameOutput(t, ns, ['show', 'table', 'all'], 4);
    sameOutput(t, ns, ['show', 'table', 'all'], 6);
    sameOutput(t, ns, ['show']);
  });
}

