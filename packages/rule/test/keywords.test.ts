// Every `ip rule` keyword: what addRule leaves in the kernel equals what `ip rule add` leaves in a
// twin namespace, the model reads it back as the same rule as the spec, our JSON and text equal
// `ip -j rule show` and `ip rule show`, and deleteRule takes it away again.
import test from 'ava';
import { NetlinkError } from '@vrfctl/netlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { runSync } from '@vrfctl/socket';
import {
  addRule, deleteRule, formatRule, listRules, parseRuleArgs, ruleRequest, ruleToJson, sameRule, type RuleFamily,
} from '../src/index.js';
import { ip, ipRules, ipTry, netnsWithVeth, socketIn } from './helpers.js';

const cases: Array<[RuleFamily, string]> = [
  [4, 'pref 100 from 192.0.2.0/24 lookup 100'],
  [4, 'pref 100 from 192.0.2.1 lookup 100'],
  [4, 'pref 100 from 192.0.2.5/24 lookup 100'],
  [4, 'pref 100 to 198.51.100.0/24 lookup 100'],
  [4, 'pref 100 from all lookup 100'],
  [4, 'pref 100 iif v0 lookup 100'],
  [4, 'pref 100 dev v0 lookup 100'],
  [4, 'pref 100 oif v1 lookup 100'],
  [4, 'pref 100 iif nosuchdev lookup 100'],
  [4, 'pref 100 fwmark 7 lookup 100'],
  [4, 'pref 100 fwmark 0x10/0xff lookup 100'],
  [4, 'pref 100 fwmark 5/0xffffffff lookup 100'],
  [4, 'pref 100 uidrange 1000-2000 lookup 100'],
  [4, 'pref 100 ipproto tcp lookup 100'],
  [4, 'pref 100 ipproto 200 lookup 100'],
  [4, 'pref 100 ipproto udp sport 53 lookup 100'],
  [4, 'pref 100 ipproto tcp sport 1000-2000 lookup 100'],
  [4, 'pref 100 ipproto tcp dport 80 lookup 100'],
  [4, 'pref 100 ipproto tcp dport 8000-8080 lookup 100'],
  [4, 'l3mdev pref 1000'],
  [4, 'pref 100 tos 0x10 lookup 100'],
  [4, 'pref 100 dsfield 0x1c lookup 100'],
  [4, 'pref 100 not from 192.0.2.0/24 lookup 100'],
  [4, 'pref 100 lookup main suppress_prefixlength 0'],
  [4, 'pref 100 lookup main suppress_ifgroup 5'],
  [4, 'pref 100 from 192.0.2.0/24 lookup 100 protocol static'],
  [4, 'pref 100 lookup 100 proto bgp'],
  [4, 'pref 100 lookup 100 protocol kernel'],
  [4, 'pref 100 from 192.0.2.0/24 lookup 1000'],
  [4, 'pref 100 table local'],
  [4, 'prio 100 lookup default'],
  [4, 'order 100 from 192.0.2.0/24 lookup 100'],
  [4, 'pref 100 from 192.0.2.0/24 goto 200'],
  [4, 'pref 100 nop'],
  [4, 'pref 100 from 192.0.2.0/24 unreachable'],
  [4, 'pref 100 from 192.0.2.0/24 blackhole'],
  [4, 'pref 100 from 192.0.2.0/24 prohibit'],
  [4, 'pref 100 type prohibit'],
  [4, 'pref 100 realms 3/4 lookup 100'],
  [4, 'pref 100 tun_id 5 lookup 100'],
  [4, 'from 192.0.2.0/24 lookup 100'],
  [4, 'pref 100 from 192.0.2.0/24 to 198.51.100.0/24 iif v0 oif v1 fwmark 7 lookup 100'],
  [6, 'pref 100 from 2001:db8:5::/48 lookup 100'],
  [6, 'pref 100 to 2001:db8:6::/48 lookup 100'],
  [6, 'pref 100 from 2001:db8::1 lookup 100'],
  [6, 'l3mdev pref 1000'],
  [6, 'pref 100 tos 0x20 lookup 100'],
  [6, 'pref 100 iif v0 fwmark 0x10/0xff ipproto ipv6-icmp lookup 100'],
  [6, 'pref 100 uidrange 0-99 unreachable'],
  [6, 'pref 32765 table local'],
];

for (const [family, words] of cases) {
  test(`IPv${family} rule add ${words}`, (t) => {
    const ours = netnsWithVeth(t);
    const theirs = netnsWithVeth(t);
    const before = ipRules(ours, family);
    ip(theirs, `-${family}`, 'rule', 'add', ...words.split(' '));
    const s = socketIn(t, ours);
    const spec = parseRuleArgs(words.split(' '), family);
    runSync(s, addRule(spec));

    // Same kernel state as ip's, protocol included (-d).
    t.deepEqual(ipRules(ours, family), ipRules(theirs, family));

    // The model reads it back as the rule asked for, and prints as ip prints it.
    const rules = runSync(s, listRules(family));
    const added = rules.filter((r) => sameRule(r, spec));
    t.is(added.length, 1, 'exactly one listed rule is the same as the spec');
    t.deepEqual(rules.map(ruleToJson), ipRules(ours, family, false));
    t.deepEqual(rules.map(formatRule), ip(ours, `-${family}`, 'rule', 'show').trimEnd().split('\n'));

    // Deleting by the same words removes it and nothing else.
    runSync(s, deleteRule(spec));
    t.deepEqual(ipRules(ours, family), before);
  });
}

test('adding the same rule twice is EEXIST and changes nothing (iproute2 sends NLM_F_EXCL)', (t) => {
  const ns = netnsWithVeth(t);
  const s = socketIn(t, ns);
  const spec = parseRuleArgs('pref 100 from 192.0.2.0/24 lookup 100'.split(' '));
  runSync(s, addRule(spec));
  const state = ipRules(ns, 4);
  const err = t.throws(() => runSync(s, addRule(spec)), { instanceOf: NetlinkError });
  t.is(err?.code, 'EEXIST');
  t.deepEqual(ipRules(ns, 4), state);
  // ip agrees.
  t.is(ipTry(ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100').status, 2);
});

test('deleting a missing rule is ENOENT and changes nothing', (t) => {
  const ns = netnsWithVeth(t);
  const s = socketIn(t, ns);
  const state = ipRules(ns, 4);
  const err = t.throws(() => runSync(s, deleteRule({ priority: 4242 })), { instanceOf: NetlinkError });
  t.is(err?.code, 'ENOENT');
  t.deepEqual(ipRules(ns, 4), state);
});

test('the kernel refuses tos 0x20 for IPv4 with its own reason, and nothing changes', (t) => {
  const ns = netnsWithVeth(t);
  const s = socketIn(t, ns);
  const state = ipRules(ns, 4);
  const err = t.throws(() => runSync(s, addRule(parseRuleArgs('pref 100 tos 0x20 lookup 100'.split(' ')))), { instanceOf: NetlinkError });
  t.is(err?.code, 'EINVAL');
  t.is(err?.extack.message, 'Invalid tos');
  t.deepEqual(ipRules(ns, 4), state);
});

test('values no kernel could take are ArgumentErrors naming the argument, before anything is sent', (t) => {
  const bad: Array<[string, RegExp]> = [
    ['fwmark x lookup 100', /fwmark "x"/],
    ['uidrange 5-1 lookup 100', /uidrange "5-1": start above end/],
    ['tos 0x100 lookup 100', /tos "0x100"/],
    ['sport 5-1 lookup 100', /sport "5-1"/],
    ['dport 70000 lookup 100', /dport "70000"/],
    ['lookup nosuchtable', /table id "nosuchtable"/],
    ['l3mdev lookup 100', /table can not be specified for l3mdev rules/],
    ['from 192.0.2.0/24 to 2001:db8::/32', /to "2001:db8::\/32"/],
    ['pref', /"pref" needs a value/],
    ['frobnicate', /unknown rule keyword or action "frobnicate"/],
    ['ipproto nosuchproto', /ipproto "nosuchproto"/],
    ['iif a/b', /iif "a\/b"/],
  ];
  for (const [words, message] of bad) {
    t.throws(() => ruleRequest(parseRuleArgs(words.split(' ')), 'add'), { instanceOf: ArgumentError, message }, words);
  }
});

test('a v6 prefix without a family makes an IPv6 rule (iproute2 would send it as IPv4 and fail)', (t) => {
  const ns = netnsWithVeth(t);
  const s = socketIn(t, ns);
  runSync(s, addRule({ priority: 100, src: '2001:db8:5::/48', table: 100 }));
  const v6 = runSync(s, listRules(6)).filter((r) => r.priority === 100);
  t.is(v6.length, 1);
  t.is(v6[0].src, '2001:db8:5::/48');
  t.is(runSync(s, listRules(4)).filter((r) => r.priority === 100).length, 0);
});
