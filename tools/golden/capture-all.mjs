#!/usr/bin/env node
// (Re)capture every golden fixture listed below.
//
//   node tools/golden/capture-all.mjs [--out DIR] [--only PREFIX]... [--lab | --only-lab] [--stdout]
//
// Host fixtures need only veth/bridge/macvlan/vxlan. Fixtures that need the
// vrf, dummy or vlan drivers are marked `lab: true` and are skipped unless
// --lab (host + lab) or --only-lab is given; run those inside tools/lab/run.
// --stdout prints one fixture JSON per line instead of writing files (for a VM
// whose filesystem is read-only); tools/golden/write-fixtures.mjs stores them.
import { resolve } from 'node:path';
import { capture, toolVersions, DEFAULT_OUT } from './capture.mjs';
import { KIND_FIXTURES } from './kinds-fixtures.mjs';

// Fixed MACs keep stdout of show commands stable between captures.
const VETH = [
  'ip link set lo up',
  'ip link add v0 address 02:00:00:00:00:a0 type veth peer name v1 address 02:00:00:00:00:a1',
  'ip link set v0 up',
  'ip link set v1 up',
  'ip addr add 10.0.0.1/24 dev v0',
  'ip addr add 2001:db8::1/64 dev v0 nodad',
];
const BRIDGE = [...VETH, 'ip link add br0 address 02:00:00:00:00:b0 type bridge', 'ip link set br0 up'];
const FWD = [...VETH, 'ip addr add 10.0.1.1/24 dev v1', 'sysctl -qw net.ipv4.ip_forward=1'];
const ROUTES = [
  ...VETH,
  'ip route add 10.9.0.0/16 via 10.0.0.2',
  'ip route add 10.8.0.0/16 via 10.0.0.2 table 100',
  'ip -6 route add 2001:db8:1::/48 via 2001:db8::2',
];
const RULES = [...VETH, 'ip rule add pref 100 from 192.0.2.0/24 lookup 100', 'ip -6 rule add pref 100 from 2001:db8:5::/48 lookup 100'];
const NEIGH = [
  ...VETH,
  'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud permanent',
  'ip -6 neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev v0 nud permanent',
];
const VRF = [...VETH, 'ip link add blue type vrf table 10', 'ip link set blue up', 'ip link set v0 master blue'];
// Nexthop objects: two gateways, a blackhole, an IPv6 link-local one (BGP unnumbered), groups of
// each type and an fdb pair, so that every show/flush filter has something to select.
const NH = [...VETH, 'ip nexthop add id 1 via 10.0.0.2 dev v0', 'ip nexthop add id 2 via 10.0.0.3 dev v0 proto static'];
const NHG = [
  ...NH,
  'ip nexthop add id 4 blackhole',
  'ip nexthop add id 5 via fe80::a1 dev v0',
  'ip nexthop add id 10 group 1,3/2',
  'ip nexthop add id 11 group 1/2 type resilient buckets 4 idle_timer 10 unbalanced_timer 20',
  'ip nexthop add id 20 via 10.0.0.4 fdb',
  'ip nexthop add id 21 group 20 fdb',
];
const NH_ROUTES = [...NHG, 'ip route add 10.9.0.0/16 nhid 10', 'ip route add 1.1.1.1/32 nhid 5', 'ip route add 10.8.0.0/16 nhid 1'];
// Routes of nexthop objects in table 100 (a group, a gateway, IPv4 over an IPv6 link-local, onlink,
// resilient) beside plain gateway routes, for `ip route flush`. iproute2 6.1 resends each route as
// dumped: with the default net.ipv4.nexthop_compat_mode=1 the dump carries the resolved hops beside
// RTA_NH_ID and the kernel refuses the delete (EINVAL); with 0 it carries the id only and the flush
// works: those are the bytes to compare. A route over a blackhole nexthop is dumped as blackhole
// and refused either way (ESRCH): its own fixture.
const NH_TABLE = [...NHG, 'ip nexthop add id 6 via 169.254.0.1 dev v0 onlink',
  'ip route add 10.9.0.0/16 nhid 10 table 100', 'ip route add 10.8.0.0/16 nhid 1 table 100',
  'ip route add 1.1.1.1/32 nhid 5 table 100', 'ip route add 10.5.0.0/16 nhid 6 table 100', 'ip route add 10.4.0.0/16 nhid 11 table 100',
  'ip route add 10.3.0.0/16 via 10.0.0.2 table 100', 'ip -6 route add 2001:db8:9::/48 nhid 5 table 100',
  'ip -6 route add 2001:db8:8::/48 via 2001:db8::2 table 100'];
const NH_TABLE_ID_ONLY = [...NH_TABLE, 'sysctl -qw net.ipv4.nexthop_compat_mode=0'];
// Nexthops on a VRF's port (v0 in blue, table 10) and one off it (w0), a group and a resilient group.
const NH_VRF = [...VRF, 'ip link add w0 address 02:00:00:00:00:b0 type veth peer name w1 address 02:00:00:00:00:b1', 'ip link set w0 up',
  'ip link set w1 up', 'ip addr add 10.1.0.1/24 dev w0', 'ip nexthop add id 1 via 10.0.0.2 dev v0', 'ip nexthop add id 2 via 10.0.0.3 dev v0',
  'ip nexthop add id 3 via 10.1.0.2 dev w0', 'ip nexthop add id 10 group 1/2', 'ip nexthop add id 11 group 1/2 type resilient buckets 4'];
const NH_BRIDGE = [...NH, 'ip link add br0 address 02:00:00:00:00:b0 type bridge', 'ip link set br0 up', 'ip link set v1 master br0',
  'ip nexthop add id 30 dev v1'];

// Bridge ports v0 and w0 (a second veth pair, so that no pair loops through br0), and VLANs on them.
const BR_PORTS = [...BRIDGE, 'ip link set v0 master br0',
  'ip link add w0 address 02:00:00:00:00:c0 type veth peer name w1 address 02:00:00:00:00:c1', 'ip link set w0 up', 'ip link set w0 master br0'];
const BR_VLANS = [...BR_PORTS, 'bridge vlan add dev v0 vid 10', 'bridge vlan add dev v0 vid 20 pvid untagged',
  'bridge vlan add dev w0 vid 100-110 untagged', 'bridge vlan add dev br0 vid 10 self'];
const BRIDGE_VLAN_FIXTURES = [
  ['bridge/vlan-add', BR_PORTS, 'bridge vlan add dev v0 vid 10'],
  ['bridge/vlan-add-pvid-untagged', BR_PORTS, 'bridge vlan add dev v0 vid 20 pvid untagged'],
  ['bridge/vlan-add-range', BR_PORTS, 'bridge vlan add dev w0 vid 100-110 untagged'],
  ['bridge/vlan-add-self', BR_PORTS, 'bridge vlan add dev br0 vid 10 self'],
  ['bridge/vlan-add-master', BR_PORTS, 'bridge vlan add dev v0 vid 30 master'],
  // master on the bridge device itself: it has no master to address.
  ['bridge/error-vlan-add-master-self', BR_PORTS, 'bridge vlan add dev br0 vid 40 self master', { expectFail: true }],
  ['bridge/vlan-del', BR_VLANS, 'bridge vlan del dev v0 vid 10'],
  ['bridge/vlan-del-range', BR_VLANS, 'bridge vlan del dev w0 vid 100-110'],
  ['bridge/vlan-del-self', BR_VLANS, 'bridge vlan del dev br0 vid 10 self'],
  ['bridge/vlan-show', BR_VLANS, 'bridge vlan show'],
  ['bridge/vlan-show-json', BR_VLANS, 'bridge -j vlan show'],
  ['bridge/vlan-show-dev', BR_VLANS, 'bridge vlan show dev v0'],
  ['bridge/vlan-show-dev-json', BR_VLANS, 'bridge -j vlan show dev w0'],
  // bridge 6.1's -c is -color: ranges need the full -compressvlans.
  ['bridge/vlan-show-compressed', BR_VLANS, 'bridge -compressvlans vlan show'],
  ['bridge/vlan-show-compressed-json', BR_VLANS, 'bridge -j -compressvlans vlan show'],
  ['bridge/vlan-show-no-bridge', VETH, 'bridge vlan show'],
  ['bridge/error-vlan-add-not-port', BR_PORTS, 'bridge vlan add dev v1 vid 10', { expectFail: true }],
  // The kernel deletes a VLAN the port does not have without an error.
  ['bridge/vlan-del-missing', BR_PORTS, 'bridge vlan del dev v0 vid 99'],
].map(([name, setup, command, extra = {}]) => [name, setup, command, { lab: true, ...extra }]);

// [name, setup, command, extra]; command strings are split on whitespace.
const LIST = [
  // ---- link ----
  ['link/show', VETH, 'ip link show'],
  ['link/show-details', VETH, 'ip -d link show'],
  ['link/show-json-details-dev', VETH, 'ip -j -d link show dev v0'],
  ['link/show-dev', VETH, 'ip link show dev v0'],
  ['link/show-type-bridge', BRIDGE, 'ip link show type bridge'],
  ['link/show-master', [...BRIDGE, 'ip link set v0 master br0'], 'ip link show master br0'],
  ['link/add-veth', [], 'ip link add v0 type veth peer name v1'],
  ['link/add-veth-address', [], 'ip link add v0 address 02:00:00:00:00:a0 type veth peer name v1 address 02:00:00:00:00:a1'],
  ['link/add-bridge', [], 'ip link add br0 type bridge'],
  ['link/add-bridge-options', [], 'ip link add br0 type bridge stp_state 0 forward_delay 400 ageing_time 1000'],
  // This host kernel has no CONFIG_BRIDGE_VLAN_FILTERING: the EOPNOTSUPP reply is kept.
  ['link/error-bridge-vlan-filtering', [], 'ip link add br0 type bridge vlan_filtering 1', { expectFail: true }],
  ['link/add-macvlan-bridge', VETH, 'ip link add mv0 link v0 type macvlan mode bridge'],
  ['link/add-vxlan', VETH, 'ip link add vx0 type vxlan id 42 dstport 4789 dev v0'],
  ['link/add-vxlan-group', VETH, 'ip link add vx1 type vxlan id 43 group 239.1.1.1 dev v0 dstport 4789'],
  ['link/add-mtu-up', [], 'ip link add v0 mtu 9000 up type veth peer name v1'],
  ['link/set-up', VETH, 'ip link set v0 up'],
  ['link/set-down', VETH, 'ip link set v0 down'],
  ['link/set-mtu', VETH, 'ip link set v0 mtu 1400'],
  ['link/set-name', [...VETH, 'ip link set v0 down'], 'ip link set v0 name v9'],
  ['link/set-master', BRIDGE, 'ip link set v0 master br0'],
  ['link/set-nomaster', [...BRIDGE, 'ip link set v0 master br0'], 'ip link set v0 nomaster'],
  ['link/set-txqueuelen', VETH, 'ip link set v0 txqueuelen 500'],
  ['link/set-address', VETH, 'ip link set v0 address 02:00:00:00:00:01'],
  ['link/set-alias', VETH, 'ip link set v0 alias foo'],
  ['link/set-dev-multi', VETH, 'ip link set dev v0 mtu 1300 txqueuelen 100 down'],
  ['link/del', VETH, 'ip link del v0'],
  ['link/del-dev', VETH, 'ip link del dev v0'],
  ['link/property-add-altname', VETH, 'ip link property add dev v0 altname long-name'],
  ['link/property-del-altname', [...VETH, 'ip link property add dev v0 altname long-name'], 'ip link property del dev v0 altname long-name'],
  ['link/error-add-exists', VETH, 'ip link add v0 type veth', { expectFail: true }],
  ['link/error-set-nosuch', VETH, 'ip link set nosuch up', { expectFail: true }],
  ['link/error-del-nosuch', VETH, 'ip link del nosuch', { expectFail: true }],

  // ---- addr ----
  ['addr/add-v4', VETH, 'ip addr add 10.0.2.1/24 dev v0'],
  ['addr/add-v4-broadcast', VETH, 'ip addr add 10.0.2.1/24 broadcast + dev v0'],
  ['addr/add-v4-label', VETH, 'ip addr add 10.0.2.1/24 dev v0 label v0:1'],
  ['addr/add-v4-peer', VETH, 'ip addr add 10.0.3.1 peer 10.0.3.2 dev v0'],
  ['addr/add-v4-scope-link', VETH, 'ip addr add 192.0.2.1/24 dev v0 scope link'],
  ['addr/add-v6-nodad', VETH, 'ip addr add 2001:db8:2::1/64 dev v0 nodad'],
  ['addr/add-v6-noprefixroute', VETH, 'ip addr add 2001:db8:3::1/64 dev v0 nodad noprefixroute'],
  ['addr/add-v4-lifetime', VETH, 'ip addr add 198.51.100.1/24 dev v0 valid_lft 3600 preferred_lft 1800'],
  ['addr/add-v6-lifetime', VETH, 'ip -6 addr add 2001:db8:4::1/64 dev v0 nodad valid_lft 3600 preferred_lft 1800'],
  ['addr/replace', VETH, 'ip addr replace 10.0.0.1/24 dev v0 valid_lft 600 preferred_lft 300'],
  ['addr/del-v4', VETH, 'ip addr del 10.0.0.1/24 dev v0'],
  ['addr/del-v6', VETH, 'ip addr del 2001:db8::1/64 dev v0'],
  ['addr/show', VETH, 'ip addr show'],
  ['addr/show-dev', VETH, 'ip addr show dev v0'],
  ['addr/show-json', VETH, 'ip -j addr show'],
  ['addr/show-v4', VETH, 'ip -4 addr show'],
  ['addr/show-v6-dev', VETH, 'ip -6 addr show dev v0'],
  ['addr/flush-dev', VETH, 'ip addr flush dev v0'],
  ['addr/error-add-exists', VETH, 'ip addr add 10.0.0.1/24 dev v0', { expectFail: true }],
  ['addr/error-add-nodev', VETH, 'ip addr add 10.0.2.1/24 dev nosuch', { expectFail: true }],
  ['addr/error-del-missing', VETH, 'ip addr del 10.0.7.1/24 dev v0', { expectFail: true }],

  // ---- route ----
  ['route/add-via', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2'],
  ['route/add-via-dev', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 dev v0'],
  ['route/add-dev', VETH, 'ip route add 10.9.0.0/16 dev v0'],
  ['route/add-src', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 src 10.0.0.1'],
  ['route/add-metric', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 metric 50'],
  ['route/add-proto-static', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 proto static'],
  ['route/add-proto-200', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 proto 200'],
  ['route/add-scope-link', VETH, 'ip route add 10.9.0.0/16 dev v0 scope link'],
  ['route/add-via-table100', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 table 100'],
  ['route/add-via-table1000', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 table 1000'],
  ['route/add-table-0', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 table 0'],
  ['route/add-table-max', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 table 4294967295'],
  ['route/add-unreachable', VETH, 'ip route add unreachable 192.0.2.0/24'],
  ['route/add-blackhole', VETH, 'ip route add blackhole 192.0.2.0/24'],
  ['route/add-prohibit', VETH, 'ip route add prohibit 192.0.2.0/24'],
  ['route/add-throw', VETH, 'ip route add throw 192.0.2.0/24 table 100'],
  ['route/add-local', VETH, 'ip route add local 192.0.2.1 dev v0 table local'],
  ['route/add-broadcast', VETH, 'ip route add broadcast 10.0.5.255 dev v0 table local scope link src 10.0.0.1'],
  ['route/add-unreachable-table100', VETH, 'ip route add unreachable default table 100 metric 4278198272'],
  ['route/add-default', VETH, 'ip route add default via 10.0.0.2'],
  // "default" with an explicit family is an all-zero RTA_DST of that family (get_addr_1).
  ['route/add-unreachable-default-v6-table100', VETH, 'ip -6 route add table 100 unreachable default metric 4278198272'],
  ['route/add-unreachable-default-v4-family', VETH, 'ip -4 route add table 100 unreachable default metric 100'],
  ['route/add-default-v6-via', VETH, 'ip -6 route add default via 2001:db8::2'],
  ['route/add-unreachable-any-v6', VETH, 'ip -6 route add table 100 unreachable any'],
  ['route/get-default-v4-family', VETH, 'ip -4 route get default'],
  ['route/get-default-v6', VETH, 'ip -6 route get default', { expectFail: true }],
  ['rule/add-v4-from-default', VETH, 'ip -4 rule add from default lookup 100 pref 10'],
  ['rule/add-v6-to-default', VETH, 'ip -6 rule add to default lookup 100 pref 11'],
  ['rule/add-v6-from-default', VETH, 'ip -6 rule add from default lookup 100 pref 12'],
  ['rule/add-from-default-nofamily', VETH, 'ip rule add from default lookup 100 pref 13'],
  ['route/add-metrics', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 mtu 1400 advmss 1360 hoplimit 10'],
  ['route/add-mtu-lock', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 mtu lock 1400'],
  ['route/add-onlink', VETH, 'ip route add 10.9.0.0/16 via 192.0.2.1 dev v0 onlink'],
  ['route/add-multipath', VETH, 'ip route add 10.9.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2'],
  ['route/add-v6-pref-high', VETH, 'ip route add 2001:db8:1::/48 via 2001:db8::2 pref high'],
  ['route/add-v6-dev-metric', VETH, 'ip -6 route add 2001:db8:9::/48 dev v0 metric 256'],
  ['route/add-v4-via-v6', VETH, 'ip route add 10.9.0.0/16 via inet6 fe80::1 dev v0'],
  ['route/add-v6-multipath', VETH, 'ip -6 route add 2001:db8:1::/48 nexthop via 2001:db8::2 nexthop via 2001:db8::3'],
  ['route/replace', ROUTES, 'ip route replace 10.9.0.0/16 via 10.0.0.3'],
  ['route/replace-new', VETH, 'ip route replace 10.9.0.0/16 via 10.0.0.3'],
  ['route/append', ROUTES, 'ip route append 10.9.0.0/16 via 10.0.0.3'],
  ['route/prepend', ROUTES, 'ip route prepend 10.9.0.0/16 via 10.0.0.3'],
  ['route/change', ROUTES, 'ip route change 10.9.0.0/16 via 10.0.0.4'],
  ['route/del', ROUTES, 'ip route del 10.9.0.0/16'],
  ['route/del-via', ROUTES, 'ip route del 10.9.0.0/16 via 10.0.0.2'],
  ['route/del-table100', ROUTES, 'ip route del 10.8.0.0/16 table 100'],
  ['route/del-v6', ROUTES, 'ip -6 route del 2001:db8:1::/48'],
  ['route/show', ROUTES, 'ip route show'],
  ['route/show-table-all', ROUTES, 'ip route show table all'],
  ['route/show-v6', ROUTES, 'ip -6 route show'],
  ['route/show-table100', ROUTES, 'ip route show table 100'],
  ['route/show-json', ROUTES, 'ip -j route show'],
  ['route/show-dev', ROUTES, 'ip route show dev v0'],
  ['route/show-proto-kernel', ROUTES, 'ip route show proto kernel'],
  ['route/list', ROUTES, 'ip route list'],
  ['route/get', ROUTES, 'ip route get 10.0.0.2'],
  ['route/get-from', ROUTES, 'ip route get 10.9.1.1 from 10.0.0.1'],
  ['route/get-mark', ROUTES, 'ip route get 10.9.1.1 mark 7'],
  ['route/get-fibmatch', ROUTES, 'ip route get fibmatch 10.9.1.1'],
  ['route/get-ipproto', ROUTES, 'ip route get 10.9.1.1 ipproto tcp sport 1000 dport 80'],
  ['route/get-oif', ROUTES, 'ip route get 10.9.1.1 oif v0'],
  ['route/get-iif', [...FWD, 'ip route add 10.9.0.0/16 via 10.0.0.2'], 'ip route get 10.9.1.1 iif v1 from 10.0.1.2'],
  ['route/get-v6', ROUTES, 'ip -6 route get 2001:db8:1::1'],
  ['route/get-json', ROUTES, 'ip -j route get 10.9.1.1'],
  ['route/flush-table100', ROUTES, 'ip route flush table 100'],
  ['route/error-bad-gateway', VETH, 'ip route add 192.0.2.0/24 via 10.9.9.9 table 100', { expectFail: true }],
  ['route/error-exists', ROUTES, 'ip route add 10.9.0.0/16 via 10.0.0.2', { expectFail: true }],
  ['route/error-nodev', VETH, 'ip route add 10.9.0.0/16 dev nosuch', { expectFail: true }],
  ['route/error-del-missing', VETH, 'ip route del 10.7.0.0/16', { expectFail: true }],
  ['route/error-get-unreachable', [...VETH, 'ip route add unreachable 192.0.2.0/24'], 'ip route get 192.0.2.1', { expectFail: true }],

  // ---- rule ----
  ['rule/add-from', VETH, 'ip rule add pref 100 from 192.0.2.0/24 lookup 100'],
  ['rule/add-to', VETH, 'ip rule add pref 100 to 198.51.100.0/24 lookup 100'],
  ['rule/add-iif', VETH, 'ip rule add pref 100 iif v0 lookup 100'],
  ['rule/add-oif', VETH, 'ip rule add pref 100 oif v0 lookup 100'],
  ['rule/add-fwmark', VETH, 'ip rule add pref 100 fwmark 0x10/0xff lookup 100'],
  ['rule/add-uidrange', VETH, 'ip rule add pref 100 uidrange 1000-2000 lookup 100'],
  ['rule/add-ipproto', VETH, 'ip rule add pref 100 ipproto tcp lookup 100'],
  ['rule/add-sport', VETH, 'ip rule add pref 100 ipproto tcp sport 1000-2000 lookup 100'],
  ['rule/add-dport', VETH, 'ip rule add pref 100 ipproto tcp dport 80 lookup 100'],
  ['rule/add-tos', VETH, 'ip rule add pref 100 tos 0x10 lookup 100'],
  ['rule/add-dsfield', VETH, 'ip rule add pref 100 dsfield 0x1c lookup 100'],
  // IPv4 rules only take the old TOS bits (mask 0x1e): kernel answers "Invalid tos".
  ['rule/error-tos-0x20', VETH, 'ip rule add pref 100 tos 0x20 lookup 100', { expectFail: true }],
  ['rule/add-not-from', VETH, 'ip rule add pref 100 not from 192.0.2.0/24 lookup 100'],
  ['rule/add-suppress-prefixlength', VETH, 'ip rule add pref 100 lookup main suppress_prefixlength 0'],
  ['rule/add-suppress-ifgroup', VETH, 'ip rule add pref 100 lookup main suppress_ifgroup 5'],
  ['rule/add-goto', VETH, 'ip rule add pref 100 from 192.0.2.0/24 goto 200'],
  ['rule/add-nop', VETH, 'ip rule add pref 100 nop'],
  ['rule/add-unreachable', VETH, 'ip rule add pref 100 from 192.0.2.0/24 unreachable'],
  ['rule/add-blackhole', VETH, 'ip rule add pref 100 from 192.0.2.0/24 blackhole'],
  ['rule/add-prohibit', VETH, 'ip rule add pref 100 from 192.0.2.0/24 prohibit'],
  ['rule/add-lookup-1000', VETH, 'ip rule add pref 100 from 192.0.2.0/24 lookup 1000'],
  ['rule/add-table', VETH, 'ip rule add pref 100 from 192.0.2.0/24 table 100'],
  ['rule/add-l3mdev', VETH, 'ip rule add l3mdev pref 1000'],
  ['rule/add-protocol', VETH, 'ip rule add pref 100 from 192.0.2.0/24 lookup 100 protocol static'],
  ['rule/add-nopref', VETH, 'ip rule add from 192.0.2.0/24 lookup 100'],
  ['rule/add-combined', VETH, 'ip rule add pref 100 from 192.0.2.0/24 to 198.51.100.0/24 iif v0 fwmark 7 lookup 100'],
  ['rule/add-v6', VETH, 'ip -6 rule add pref 100 from 2001:db8:5::/48 lookup 100'],
  ['rule/add-v6-to', VETH, 'ip -6 rule add pref 100 to 2001:db8:6::/48 lookup 100'],
  ['rule/add-local-32765', VETH, 'ip rule add pref 32765 table local'],
  ['rule/del-pref0', [...VETH, 'ip rule add pref 32765 table local'], 'ip rule del pref 0'],
  ['rule/del-pref', RULES, 'ip rule del pref 100'],
  ['rule/del-v6-pref', RULES, 'ip -6 rule del pref 100'],
  ['rule/del-match', RULES, 'ip rule del from 192.0.2.0/24 lookup 100'],
  ['rule/show', RULES, 'ip rule show'],
  ['rule/show-v6', RULES, 'ip -6 rule show'],
  ['rule/show-json', RULES, 'ip -j rule show'],
  ['rule/list', RULES, 'ip rule list'],
  ['rule/error-add-exists', RULES, 'ip rule add pref 100 from 192.0.2.0/24 lookup 100', { expectFail: true }],
  ['rule/error-del-missing', VETH, 'ip rule del pref 4242', { expectFail: true }],

  // ---- neigh ----
  ['neigh/add', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0'],
  ['neigh/add-permanent', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud permanent'],
  ['neigh/add-reachable', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud reachable'],
  ['neigh/add-stale', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud stale'],
  ['neigh/add-noarp', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0 nud noarp'],
  ['neigh/add-v6', VETH, 'ip -6 neigh add 2001:db8::5 lladdr 02:00:00:00:00:05 dev v0'],
  ['neigh/add-v6-plain', VETH, 'ip neigh add 2001:db8::6 lladdr 02:00:00:00:00:06 dev v0 nud permanent'],
  ['neigh/add-proxy', VETH, 'ip neigh add proxy 10.0.0.7 dev v0'],
  ['neigh/add-proxy-v6', VETH, 'ip -6 neigh add proxy 2001:db8::7 dev v0'],
  ['neigh/replace', NEIGH, 'ip neigh replace 10.0.0.5 lladdr 02:00:00:00:00:55 dev v0 nud reachable'],
  ['neigh/replace-new', VETH, 'ip neigh replace 10.0.0.8 lladdr 02:00:00:00:00:08 dev v0'],
  ['neigh/change', NEIGH, 'ip neigh change 10.0.0.5 lladdr 02:00:00:00:00:56 dev v0'],
  ['neigh/del', NEIGH, 'ip neigh del 10.0.0.5 dev v0'],
  ['neigh/del-v6', NEIGH, 'ip -6 neigh del 2001:db8::5 dev v0'],
  ['neigh/show', NEIGH, 'ip neigh show'],
  ['neigh/show-dev', NEIGH, 'ip neigh show dev v0'],
  ['neigh/show-json', NEIGH, 'ip -j neigh show'],
  ['neigh/show-v6', NEIGH, 'ip -6 neigh show'],
  ['neigh/show-proxy', [...NEIGH, 'ip neigh add proxy 10.0.0.7 dev v0'], 'ip neigh show proxy'],
  ['neigh/show-nud-permanent', NEIGH, 'ip neigh show nud permanent'],
  ['neigh/flush-dev', NEIGH, 'ip neigh flush dev v0'],
  ['neigh/error-add-exists', NEIGH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0', { expectFail: true }],
  ['neigh/error-add-nodev', VETH, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev nosuch', { expectFail: true }],
  ['neigh/error-del-missing', VETH, 'ip neigh del 10.0.0.9 dev v0', { expectFail: true }],

  // ---- nexthop ----
  ['nexthop/add-via-v4', VETH, 'ip nexthop add id 1 via 10.0.0.2 dev v0'],
  ['nexthop/add-via-v6', VETH, 'ip nexthop add id 2 via 2001:db8::2 dev v0'],
  ['nexthop/add-via-v6-linklocal', VETH, 'ip nexthop add id 5 via fe80::a1 dev v0'],
  ['nexthop/add-dev', VETH, 'ip nexthop add id 3 dev v0'],
  ['nexthop/add-blackhole', VETH, 'ip nexthop add id 4 blackhole'],
  ['nexthop/add-blackhole-v6', VETH, 'ip -6 nexthop add id 4 blackhole'],
  ['nexthop/add-onlink', VETH, 'ip nexthop add id 6 via 169.254.0.1 dev v0 onlink'],
  ['nexthop/add-proto', VETH, 'ip nexthop add id 7 via 10.0.0.3 dev v0 proto static'],
  ['nexthop/add-proto-number', VETH, 'ip nexthop add id 7 via 10.0.0.3 dev v0 proto 186'],
  ['nexthop/add-noid', VETH, 'ip nexthop add via 10.0.0.2 dev v0'],
  ['nexthop/add-group', NH, 'ip nexthop add id 10 group 1/2'],
  ['nexthop/add-group-weights', NH, 'ip nexthop add id 10 group 1,3/2,1'],
  ['nexthop/add-group-mpath', NH, 'ip nexthop add id 10 group 1/2 type mpath'],
  ['nexthop/add-group-resilient', NH, 'ip nexthop add id 11 group 1/2 type resilient buckets 8 idle_timer 10 unbalanced_timer 20'],
  ['nexthop/error-resilient-no-buckets', NH, 'ip nexthop add id 11 group 1/2 type resilient', { expectFail: true }],
  ['nexthop/add-group-proto', NH, 'ip nexthop add id 10 group 1/2 proto bgp'],
  ['nexthop/add-fdb', VETH, 'ip nexthop add id 20 via 10.0.0.4 fdb'],
  ['nexthop/add-group-fdb', [...VETH, 'ip nexthop add id 20 via 10.0.0.4 fdb'], 'ip nexthop add id 21 group 20 fdb'],
  ['nexthop/add-encap-ip', VETH, 'ip nexthop add id 9 encap ip id 5 dst 10.1.1.1 via 10.0.0.2 dev v0'],
  ['nexthop/replace', NH, 'ip nexthop replace id 1 via 10.0.0.5 dev v0'],
  ['nexthop/replace-new', VETH, 'ip nexthop replace id 1 via 10.0.0.2 dev v0'],
  ['nexthop/replace-group', NHG, 'ip nexthop replace id 10 group 1,2/2'],
  ['nexthop/del', NH, 'ip nexthop del id 1'],
  ['nexthop/del-group', NHG, 'ip nexthop del id 10'],
  ['nexthop/show', NHG, 'ip nexthop show'],
  ['nexthop/list', NHG, 'ip nexthop list'],
  ['nexthop/show-json', NHG, 'ip -j nexthop show'],
  ['nexthop/show-v4', NHG, 'ip -4 nexthop show'],
  ['nexthop/show-v6', NHG, 'ip -6 nexthop show'],
  ['nexthop/show-id', NHG, 'ip nexthop show id 10'],
  ['nexthop/show-dev', NHG, 'ip nexthop show dev v0'],
  ['nexthop/show-groups', NHG, 'ip nexthop show groups'],
  ['nexthop/show-fdb', NHG, 'ip nexthop show fdb'],
  ['nexthop/show-proto', NHG, 'ip nexthop show proto 4'],
  ['nexthop/show-master', NH_BRIDGE, 'ip nexthop show master br0'],
  ['nexthop/show-empty', VETH, 'ip nexthop show'],
  ['nexthop/get', NHG, 'ip nexthop get id 1'],
  ['nexthop/get-group-json', NHG, 'ip -j nexthop get id 10'],
  ['nexthop/flush', NHG, 'ip nexthop flush'],
  ['nexthop/flush-dev', NHG, 'ip nexthop flush dev v0'],
  ['nexthop/flush-groups', NHG, 'ip nexthop flush groups'],
  ['nexthop/flush-id', NHG, 'ip nexthop flush id 1'],
  ['nexthop/flush-empty', VETH, 'ip nexthop flush'],
  ['nexthop/bucket-show', NHG, 'ip nexthop bucket show'],
  ['nexthop/bucket-show-id', NHG, 'ip nexthop bucket show id 11'],
  ['nexthop/bucket-show-nhid', NHG, 'ip nexthop bucket show nhid 2'],
  ['nexthop/bucket-show-dev', NHG, 'ip nexthop bucket show dev v0'],
  ['nexthop/bucket-show-json', NHG, 'ip -j nexthop bucket show id 11'],
  ['nexthop/bucket-get', NHG, 'ip nexthop bucket get id 11 index 0'],
  ['nexthop/error-add-exists', NH, 'ip nexthop add id 1 via 10.0.0.2 dev v0', { expectFail: true }],
  ['nexthop/error-del-missing', VETH, 'ip nexthop del id 99', { expectFail: true }],
  ['nexthop/error-group-missing', NH, 'ip nexthop add id 10 group 1/99', { expectFail: true }],
  ['nexthop/error-group-blackhole', NHG, 'ip nexthop add id 12 group 1/4', { expectFail: true }],
  ['nexthop/error-get-missing', VETH, 'ip nexthop get id 99', { expectFail: true }],
  ['nexthop/route-add-nhid', NHG, 'ip route add 10.9.0.0/16 nhid 10'],
  ['nexthop/route-add-nhid-v4-over-v6', NHG, 'ip route add 1.1.1.1/32 nhid 5'],
  ['nexthop/route-add-nhid-table', NHG, 'ip route add 10.9.0.0/16 nhid 1 table 100'],
  ['nexthop/route-show-nhid', NH_ROUTES, 'ip route show'],
  ['nexthop/route-show-nhid-json', NH_ROUTES, 'ip -j route show'],
  ['nexthop/route-del-nhid', NH_ROUTES, 'ip route del 10.9.0.0/16'],
  ['nexthop/route-flush-table-nhid', NH_TABLE_ID_ONLY, 'ip route flush table 100'],
  ['nexthop/route-flush-table-nhid-v6', NH_TABLE_ID_ONLY, 'ip -6 route flush table 100'],
  ['nexthop/route-flush-prefix-nhid', NH_TABLE_ID_ONLY, 'ip route flush 10.9.0.0/16 table 100'],
  ['nexthop/route-flush-proto-nhid', [...NH_TABLE_ID_ONLY, 'ip route add 10.2.0.0/16 nhid 2 table 100 proto bgp'], 'ip route flush table 100 proto bgp'],
  ['nexthop/error-route-flush-table-compat', NH_TABLE, 'ip route flush table 100', { expectFail: true }],
  ['nexthop/error-route-flush-blackhole-nhid', [...NH_TABLE_ID_ONLY, 'ip route add 10.7.0.0/16 nhid 4 table 100'], 'ip route flush table 100', { expectFail: true }],
  ['nexthop/flush-with-routes', NH_ROUTES, 'ip nexthop flush'],
  ['nexthop/flush-id-with-routes', NH_ROUTES, 'ip nexthop flush id 10'],
  ['nexthop/vrf-show', NH_VRF, 'ip nexthop show vrf blue', { lab: true }],
  ['nexthop/vrf-show-json', NH_VRF, 'ip -j nexthop show vrf blue', { lab: true }],
  ['nexthop/vrf-show-master', NH_VRF, 'ip nexthop show master blue', { lab: true }],
  ['nexthop/vrf-flush', NH_VRF, 'ip nexthop flush vrf blue', { lab: true }],
  ['nexthop/vrf-bucket-show', NH_VRF, 'ip nexthop bucket show vrf blue', { lab: true }],
  ['nexthop/vrf-route-add-nhid', NH_VRF, 'ip route add 10.9.0.0/16 nhid 10 vrf blue', { lab: true }],
  ['nexthop/vrf-route-show-nhid', [...NH_VRF, 'ip route add 10.9.0.0/16 nhid 10 vrf blue', 'ip route add 10.8.0.0/16 nhid 1 vrf blue'],
    'ip route show vrf blue', { lab: true }],

  // ---- lab only: the host kernel has no vrf/dummy/vlan drivers ----
  ['vrf/add', VETH, 'ip link add blue type vrf table 10', { lab: true }],
  ['vrf/add-up', VETH, 'ip link add blue up type vrf table 10', { lab: true }],
  ['vrf/set-master', [...VETH, 'ip link add blue type vrf table 10'], 'ip link set v0 master blue', { lab: true }],
  ['vrf/set-nomaster', VRF, 'ip link set v0 nomaster', { lab: true }],
  ['vrf/del', VRF, 'ip link del blue', { lab: true }],
  ['vrf/show-type', VRF, 'ip -d link show type vrf', { lab: true }],
  ['vrf/show-json-type', VRF, 'ip -j -d link show type vrf', { lab: true }],
  ['vrf/link-show-vrf', VRF, 'ip link show vrf blue', { lab: true }],
  ['vrf/link-show-master', VRF, 'ip link show master blue', { lab: true }],
  ['vrf/addr-show-vrf', VRF, 'ip addr show vrf blue', { lab: true }],
  ['vrf/vrf-show', VRF, 'ip vrf show', { lab: true }],
  ['vrf/vrf-show-json', VRF, 'ip -j vrf show', { lab: true }],
  ['vrf/route-add-vrf', VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf blue', { lab: true }],
  ['vrf/route-add-table', VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 table 10', { lab: true }],
  ['vrf/route-add-unreachable-default', VRF, 'ip route add unreachable default vrf blue metric 4278198272', { lab: true }],
  ['vrf/route-show-vrf', [...VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf blue'], 'ip route show vrf blue', { lab: true }],
  ['vrf/route-show-table', [...VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf blue'], 'ip route show table 10', { lab: true }],
  ['vrf/route-get-vrf', [...VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf blue'], 'ip route get 10.9.1.1 vrf blue', { lab: true }],
  ['vrf/route-del-vrf', [...VRF, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf blue'], 'ip route del 10.9.0.0/16 vrf blue', { lab: true }],
  ['vrf/neigh-show-vrf', [...VRF, 'ip neigh add 10.0.0.5 lladdr 02:00:00:00:00:05 dev v0'], 'ip neigh show vrf blue', { lab: true }],
  ['vrf/rule-l3mdev', VRF, 'ip rule add l3mdev pref 1000', { lab: true }],
  // Two VRFs may share a table unless net.vrf.strict_mode=1.
  ['vrf/add-shared-table', [...VETH, 'ip link add blue type vrf table 10'], 'ip link add red type vrf table 10', { lab: true }],
  ['vrf/error-table-in-use-strict', [...VETH, 'sysctl -qw net.vrf.strict_mode=1', 'ip link add blue type vrf table 10'],
    'ip link add red type vrf table 10', { lab: true, expectFail: true }],
  ['vrf/error-route-vrf-missing', VETH, 'ip route add 10.9.0.0/16 via 10.0.0.2 vrf nosuch', { lab: true, expectFail: true }],
  ['dummy/add', [], 'ip link add d0 type dummy', { lab: true }],
  ['dummy/add-up-mtu', [], 'ip link add d0 mtu 1400 up type dummy', { lab: true }],
  ['dummy/show', ['ip link add d0 address 02:00:00:00:00:d0 type dummy'], 'ip -d link show dev d0', { lab: true }],
  ['vlan/add', VETH, 'ip link add link v0 name v0.10 type vlan id 10', { lab: true }],
  ['vlan/add-8021ad', VETH, 'ip link add link v0 name v0.20 type vlan proto 802.1ad id 20', { lab: true }],
  ['vlan/show', [...VETH, 'ip link add link v0 name v0.10 type vlan id 10'], 'ip -d link show dev v0.10', { lab: true }],
  ...KIND_FIXTURES,
  // Per-port bridge VLANs (`bridge vlan`): the host kernel has no CONFIG_BRIDGE_VLAN_FILTERING.
  ...BRIDGE_VLAN_FIXTURES,
];

function parseArgs(argv) {
  const o = { out: DEFAULT_OUT, only: [], lab: false, onlyLab: false, stdout: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = resolve(argv[++i]);
    else if (a === '--only') o.only.push(argv[++i]);
    else if (a === '--lab') o.lab = true;
    else if (a === '--only-lab') o.onlyLab = true;
    else if (a === '--stdout') o.stdout = true;
    else if (a === '--list') o.list = true;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

const o = parseArgs(process.argv.slice(2));
const selected = LIST.filter(([name, , , extra = {}]) => {
  if (o.only.length && !o.only.some((p) => name.startsWith(p))) return false;
  if (o.onlyLab) return !!extra.lab;
  return o.lab || !extra.lab;
});
if (o.list) {
  for (const [name] of selected) console.log(name);
  process.exit(0);
}
// Progress goes to stderr so that --stdout carries fixtures only.
const log = (s) => console.error(s);
const versions = toolVersions();
let failures = 0;
for (const [name, setup, command, extra = {}] of selected) {
  try {
    const fx = capture({
      name, setup, command: command.split(/\s+/), out: o.out,
      expectFail: !!extra.expectFail, write: !o.stdout, versions,
    });
    if (o.stdout) process.stdout.write(JSON.stringify(fx) + '\n');
    const err = fx.exitCode ? `  ${fx.stderr.trim().split('\n')[0]}` : '';
    log(`ok   ${name}  exit=${fx.exitCode} req=${fx.requests.length} rep=${fx.replies.length}${err}`);
  } catch (e) {
    failures++;
    log(`FAIL ${name}  ${e.message.split('\n').slice(0, 3).join(' | ')}`);
  }
}
log(`${selected.length - failures}/${selected.length} captured`);
process.exit(failures ? 1 : 0);
