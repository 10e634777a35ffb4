// Fixtures of the link kinds servers use (bond, ipvlan, a bridge's options), listed by
// capture-all.mjs. bond, ipvlan and bridge VLAN filtering exist in the lab kernel only.
const BOND = ['ip link add b0 address 02:00:00:00:00:b0 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 min_links 1'];
const PORTS = ['ip link add d0 address 02:00:00:00:00:d0 type dummy', 'ip link add d1 address 02:00:00:00:00:d1 type dummy'];
const BOND_PORTS = [...BOND, ...PORTS, 'ip link set d0 master b0', 'ip link set d1 master b0', 'ip link set b0 up'];
const IPVLAN = [...PORTS, 'ip link add link d0 name ipv0 address 02:00:00:00:00:d0 type ipvlan mode l3s vepa'];
const VLAN_BRIDGE = [
  'ip link add br0 address 02:00:00:00:00:b1 type bridge vlan_filtering 1 stp_state 1 priority 100', ...PORTS, 'ip link set d0 master br0',
];
const lab = { lab: true };

export const KIND_FIXTURES = [
  ['link/add-bridge-timers', [], 'ip link add br1 type bridge forward_delay 400 hello_time 300 max_age 2500 ageing_time 20000 priority 100'],
  ['link/set-bridge-options', ['ip link add br0 type bridge'], 'ip link set br0 type bridge stp_state 1 forward_delay 400 priority 100'],
  ['bond/add-8023ad', [], 'ip link add b0 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 min_links 1', lab],
  ['bond/add-extras', [], 'ip link add b1 type bond mode active-backup miimon 100 updelay 200 downdelay 200 ad_select bandwidth', lab],
  ['bond/set-options', BOND, 'ip link set b0 type bond miimon 200 updelay 400 downdelay 200 min_links 2', lab],
  ['bond/set-master', [...BOND, ...PORTS], 'ip link set d0 master b0', lab],
  ['bond/error-set-master-up', [...BOND, ...PORTS, 'ip link set d0 up'], 'ip link set d0 master b0', { lab: true, expectFail: true }],
  ['bond/show-details', BOND_PORTS, 'ip -d link show', lab],
  ['bond/show-json-details', BOND_PORTS, 'ip -j -d link show', lab],
  ['ipvlan/add-l3', PORTS, 'ip link add link d0 name ipv0 type ipvlan mode l3', lab],
  ['ipvlan/add-l2-private', PORTS, 'ip link add link d0 name ipv0 type ipvlan mode l2 private', lab],
  ['ipvlan/add-l3s-vepa', PORTS, 'ip link add link d0 name ipv0 type ipvlan mode l3s vepa', lab],
  ['ipvlan/show-details', IPVLAN, 'ip -d link show', lab],
  ['ipvlan/show-json-details', IPVLAN, 'ip -j -d link show', lab],
  ['bridge/add-vlan-options', [], 'ip link add br0 type bridge vlan_filtering 1 vlan_protocol 802.1ad vlan_default_pvid 10 stp_state 1', lab],
  ['bridge/set-vlan-filtering', ['ip link add br0 type bridge'], 'ip link set br0 type bridge vlan_filtering 1 vlan_default_pvid 20', lab],
  ['bridge/show-details', VLAN_BRIDGE, 'ip -d link show', lab],
  ['bridge/show-json-details', VLAN_BRIDGE, 'ip -j -d link show', lab],
];
