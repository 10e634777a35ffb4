// The commands: name, help texts and the module that runs each, imported only when it runs.
import type { GlobalOptions } from './context.js';

export type Runner = (args: string[], opts: GlobalOptions) => Promise<number | void> | number | void;

/** Each command lives in its own module, imported only when it runs. */
export const COMMANDS: ReadonlyArray<{ name: string; summary: string; usage: string; load: () => Promise<{ run: Runner }>; help?: string }> = [
  { name: 'list', summary: 'list VRFs: name, table, state, ports', usage: '', load: () => import('./commands/list.js'),
    help: '\nExamples:\n  vrfctl list\n  vrfctl -j list' },
  { name: 'show', summary: 'one VRF: ports, addresses, routes, neighbours, rules', usage: 'NAME', load: () => import('./commands/show.js'),
    help: '\nExamples:\n  vrfctl show mgmt\n  vrfctl -j show red' },
  { name: 'add', summary: 'create a VRF bound to a routing table', usage: 'NAME table ID [--loopback] [--no-default-unreachable] [--rt-tables-name] [--keep-local-rule]',
    load: () => import('./commands/add.js'), help: '\nExamples:\n  vrfctl add mgmt table 1000 --loopback\n  vrfctl add red table 1001 --rt-tables-name' },
  { name: 'del', summary: 'delete a VRF (and its table with --flush-table)', usage: 'NAME [--flush-table]', load: () => import('./commands/del.js'),
    help: '\nExamples:\n  vrfctl del red --flush-table' },
  { name: 'enslave', summary: 'put ports into a VRF', usage: 'NAME DEV… [--move-default-route]', load: () => import('./commands/enslave.js'),
    help: '\nExamples:\n  vrfctl enslave mgmt eth0' },
  { name: 'release', summary: 'take ports out of their VRF', usage: 'DEV…', load: () => import('./commands/release.js'),
    help: '\nExamples:\n  vrfctl release eth0' },
  { name: 'exec', summary: 'run a command in a VRF (like ip vrf exec)', usage: 'NAME -- CMD [ARG…]', load: () => import('./commands/exec.js'),
    help: '\nExamples:\n  vrfctl exec mgmt -- ssh admin@192.0.2.10' },
  { name: 'identify', summary: 'the VRF a process runs in', usage: '[PID]', load: () => import('./commands/identify.js'),
    help: '\nExamples:\n  vrfctl identify          # this shell\n  vrfctl identify 1234' },
  { name: 'pids', summary: 'processes running in a VRF', usage: 'NAME', load: () => import('./commands/pids.js'),
    help: '\nExamples:\n  vrfctl pids mgmt' },
  { name: 'route', summary: 'show and change routes (iproute2 syntax)', usage: 'show|add|replace|append|del|get|flush [ARGS…]',
    load: () => import('./commands/route.js'),
    help: '\nExamples:\n  vrfctl route add 10.9.0.0/16 via 10.0.0.2 table 100\n  vrfctl -j route show table all\n  vrfctl route get vrf mgmt 192.0.2.1\n  vrfctl --dry-run --hex route add default via 192.0.2.1 vrf mgmt' },
  { name: 'rule', summary: 'show and change FIB rules (iproute2 syntax); fixup the l3mdev/local rules', usage: 'show|add|del|fixup [ARGS…]',
    load: () => import('./commands/rule.js'),
    help: '\nExamples:\n  vrfctl rule add pref 100 from 192.0.2.0/24 lookup 100\n  vrfctl rule fixup\n  vrfctl -6 -j rule show' },
  { name: 'nexthop', summary: 'show and change nexthop objects and groups (iproute2 syntax)',
    usage: 'add|replace|del|show|get|flush|bucket [ARGS…]', load: () => import('./commands/nexthop.js'),
    help: '\nExamples:\n  vrfctl nexthop add id 1 via 10.0.0.2 dev eth0\n  vrfctl nexthop add id 2 via fe80::1 dev eth0\n' +
      '  vrfctl nexthop add id 10 group 1,3/2 type resilient buckets 64\n  vrfctl route add 10.9.0.0/16 nhid 10\n' +
      '  vrfctl -j nexthop show groups\n  vrfctl nexthop bucket show id 10\n  vrfctl nexthop flush dev eth0' },
  { name: 'link', summary: 'show and change links (iproute2 syntax)', usage: 'show [DEV] [vrf NAME] [type KIND] | add | set | del | property [ARGS…]', load: () => import('./commands/link.js'),
    help: '\nExamples:\n  vrfctl link show vrf mgmt\n  vrfctl link add br0 type bridge\n  vrfctl link set eth1 master br0 up' },
  { name: 'addr', summary: 'show and change addresses (iproute2 syntax)', usage: 'show|add|del|replace [ARGS…]', load: () => import('./commands/addr.js'),
    help: '\nExamples:\n  vrfctl addr show vrf mgmt\n  vrfctl addr add 192.0.2.1/24 dev eth0' },
  { name: 'neigh', summary: 'show and change neighbours (iproute2 syntax)', usage: 'show|add|del|change|replace|flush [ARGS…]', load: () => import('./commands/neigh.js'),
    help: '\nExamples:\n  vrfctl neigh show vrf mgmt' },
  { name: 'bridge', summary: 'per-port bridge VLANs, as iproute2\'s bridge vlan', usage: 'vlan add|del|show [ARGS…]', load: () => import('./commands/bridge.js'),
    help: '\nExamples:\n  vrfctl bridge vlan add dev eth1 vid 10 pvid untagged\n  vrfctl bridge vlan add dev eth1 vid 100-110\n  vrfctl -j bridge vlan show dev eth1' },
  { name: 'vrf', summary: 'ip vrf\'s spelling and output: show [NAME], exec, identify, pids', usage: 'show [NAME] | exec NAME CMD [ARG…] | identify [PID] | pids NAME',
    load: () => import('./commands/vrf.js'), help: '\nExamples:\n  vrfctl vrf show\n  vrfctl vrf exec mgmt ssh admin@192.0.2.10' },
  { name: 'netns', summary: 'list, add, delete and run commands in named network namespaces (like ip netns)', usage: 'list | add NAME | del NAME | exec NAME CMD [ARG…] | identify [PID] | pids NAME',
    load: () => import('./commands/netns.js'), help: '\nExamples:\n  vrfctl netns add blue\n  vrfctl netns list\n  vrfctl netns exec blue ip link\n  vrfctl netns pids blue' },
  { name: 'sysctl', summary: 'show or set the l3mdev and VRF sysctls', usage: 'show [--all-interfaces] | set KEY=VALUE…', load: () => import('./commands/sysctl.js'),
    help: '\nExamples:\n  vrfctl sysctl show\n  vrfctl sysctl set net.ipv4.tcp_l3mdev_accept=1' },
  { name: 'monitor', summary: 'print link/address/route/rule/neighbour/nexthop events', usage: '[link|addr|route|rule|neigh|nexthop|all]… [--rcvbuf BYTES]', load: () => import('./commands/monitor.js'),
    help: '\nExamples:\n  vrfctl monitor route\n  vrfctl -j monitor all' },
  { name: 'apply', summary: 'make the host match a YAML file of VRFs', usage: 'FILE|DIR [--prune] [--wait-ports SECONDS]', load: () => import('./commands/apply.js'),
    help: '\nFILE is our YAML or netplan YAML; DIR a directory of systemd-networkd files.\n--wait-ports waits up to SECONDS for the file\'s ports to appear (at boot).\n\nExamples:\n  vrfctl apply /etc/vrfctl.yaml\n  vrfctl apply --wait-ports 60 /etc/vrfctl.yaml' },
  { name: 'diff', summary: 'print what apply would change', usage: 'FILE [--prune]', load: () => import('./commands/diff.js'),
    help: '\nExamples:\n  vrfctl diff /etc/vrfctl.yaml\n  vrfctl diff --prune /etc/vrfctl.yaml' },
  { name: 'doctor', summary: 'find what breaks VRFs here, with the command that fixes each', usage: '[VRF…] [--fix]', load: () => import('./commands/doctor.js'),
    help: `
Checks the VRFs (all, or the ones named) and the host around them: devices and ports up,
loopback addresses, unreachable defaults, l3mdev and local rules, rules to empty tables, routes
crossing VRFs, duplicate tables, table names, resolv.conf's resolver, listeners and the
l3mdev_accept sysctls, the SSH session, processes in VRF cgroups whose VRF is gone.
Each finding: severity (error, warning, note), id, what is wrong, and the fix.
--fix applies the safe fixes (marked "(--fix)") with apply's ordering and rollback.

Exit status: 0 no errors (warnings and notes may be shown), 3 errors found,
and the usual usage/refusal codes when doctor itself could not run (bad arguments, unknown VRF, kernel refusal).

Examples:
  vrfctl doctor
  vrfctl doctor mgmt
  vrfctl doctor --fix
  vrfctl -j doctor` },
  { name: 'export', summary: 'write an apply file as netplan YAML or systemd-networkd files', usage: 'netplan FILE | networkd FILE DIR', load: () => import('./commands/export.js'),
    help: '\napply and diff also read these forms: a netplan YAML file (network: vrfs:) or a directory of\nnetworkd .netdev/.network files. Keys vrfctl does not map are errors, never ignored.\n\nExamples:\n  vrfctl export netplan /etc/vrfctl.yaml > /etc/netplan/60-vrfs.yaml\n  vrfctl export networkd /etc/vrfctl.yaml /etc/systemd/network\n  vrfctl diff /etc/netplan/60-vrfs.yaml' },
  { name: 'service', summary: 'run systemd services in a VRF (a drop-in, not an edited unit)', usage: 'bind UNIT VRF [--now] | unbind UNIT [--now] | status [UNIT]', load: () => import('./commands/service.js'),
    help: '\nbind writes /etc/systemd/system/UNIT.d/50-vrfctl-vrf.conf: its ExecStartPre binds the unit\'s own cgroup to\nthe VRF (the program vrfctl exec uses), so every socket the service opens is in the VRF, at every start.\nstatus asks the kernel whether each bound unit\'s running cgroup carries it.\n\nExamples:\n  vrfctl service bind docker mgmt --now\n  vrfctl service status\n  vrfctl service unbind docker --now' },
  { name: 'boot', summary: 'apply a file at every boot (vrfctl-apply.service)', usage: 'enable [FILE] | disable | status', load: () => import('./commands/boot.js'),
    help: '\nenable installs and enables vrfctl-apply.service for FILE (default /etc/vrfctl.yaml): a oneshot after\nnetwork.target and before network-online.target and the services bound to a VRF, waiting up to 60 s\nfor ports that appear late. status: enabled?, the last run, and whether the kernel matches FILE now.\n\nExamples:\n  vrfctl boot enable /etc/vrfctl.yaml\n  vrfctl boot status' },
  { name: 'batch', summary: 'run commands from a file, pipelined (like ip -batch)', usage: 'FILE|- [--force] [--chunk N]', load: () => import('./commands/batch.js'),
    help: `
Lines are vrfctl commands without "vrfctl" (e.g. "route add 10.0.0.0/24 via 192.0.2.1 table 100");
# starts a comment, a trailing \\ continues a line, quotes group words.
All lines are checked before anything is sent: a bad line exits 1 and changes nothing.
route, rule, nexthop, link and addr changes are pipelined in chunks of --chunk requests (default 256);
other commands run one by one in line order. Without --force the batch stops at the first failure:
later chunks are not sent, but lines after the failed one in the same chunk were already applied
(the summary says how many). --chunk 1 stops exactly at the failed line, like ip -batch.

Examples:
  vrfctl batch routes.txt
  vrfctl batch - < routes.txt
  vrfctl batch --force --chunk 1 changes.txt` },
  { name: 'nl', summary: 'decode and encode raw netlink messages', usage: 'decode [HEX…] | encode [JSON…]', load: () => import('./commands/nl.js'),
    help: '\nReads the arguments, or standard input one message buffer per line when there are none.\nExamples:\n  vrfctl nl decode < dump.hex\n  vrfctl nl decode < dump.hex | vrfctl nl encode' },
  { name: 'completion', summary: 'print a shell completion script', usage: 'bash', load: () => import('./commands/completion.js'),
    help: '\nExamples:\n  source <(vrfctl completion bash)' },
];

/** The command names, for argv parsing. */
export const COMMAND_NAMES: ReadonlySet<string> = new Set(COMMANDS.map((c) => c.name));
