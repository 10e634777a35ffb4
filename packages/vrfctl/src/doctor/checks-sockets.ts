// Who listens where, against the VRFs: the resolver of /etc/resolv.conf, services in the
// default VRF that VRF ports cannot reach while the l3mdev_accept sysctls are 0, and the SSH
// session doctor runs from.
import type { Listener, ListenerProtocol } from '@vrfctl/vrf';
import type { Finding } from './finding.js';
import type { Vrf } from './state.js';
import type { HostView } from './view.js';

const DNS_PORT = 53;
const ACCEPT_KEY: Record<ListenerProtocol, string> = {
  tcp: 'net.ipv4.tcp_l3mdev_accept', udp: 'net.ipv4.udp_l3mdev_accept', raw: 'net.ipv4.raw_l3mdev_accept',
};

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

/** The listener takes packets for address (its own, or any when wildcard; an IPv6 wildcard without v6only takes IPv4 too). */
function listensOn(l: Listener, address: string): boolean {
  const v4 = address.includes('.');
  if (l.address === address) return true;
  if (l.address === '0.0.0.0') return v4;
  if (l.address === '::') return !v4 || !l.v6only;
  return false;
}

/** Can a packet arriving in this VRF reach the listener? Bound to the VRF, or unbound with l3mdev_accept on. */
function servesVrf(view: HostView, l: Listener, vrf: Vrf): boolean {
  if (l.ifindex === vrf.link.index) return true;
  return l.ifindex === 0 && view.sysctl(ACCEPT_KEY[l.protocol]) === 1;
}

function checkDns(view: HostView): Finding[] {
  const out: Finding[] = [];
  const resolv = view.state.resolv;
  if (!resolv) return out;
  for (const ns of resolv.nameservers.filter(isLoopback)) {
    const candidates = view.state.listeners.filter((l) => l.protocol === 'udp' && l.port === DNS_PORT && listensOn(l, ns));
    if (candidates.length === 0) continue;
    for (const vrf of view.vrfs) {
      if (candidates.some((l) => servesVrf(view, l, vrf))) continue;
      const l = candidates[0];
      const where = l.ifindex !== 0
        ? `bound to ${view.name(l.ifindex)}, which is in ${view.vrfText(l.ifindex)}`
        : 'in the default VRF, and net.ipv4.udp_l3mdev_accept is 0';
      const fix = l.ifindex !== 0
        ? `edit ${resolv.path}: replace "nameserver ${ns}" by a server reachable from ${vrf.name}`
        : view.vrfctl('sysctl set net.ipv4.udp_l3mdev_accept=1');
      const hint = l.ifindex !== 0
        ? `systemd-resolved's upstream servers are in /run/systemd/resolve/resolv.conf; or run a resolver in the VRF: ${view.vrfctl(`exec ${vrf.name} -- RESOLVER`)}`
        : `or run a resolver in the VRF: ${view.vrfctl(`exec ${vrf.name} -- RESOLVER`)}`;
      out.push({
        id: 'dns-resolver-outside-vrf', severity: 'error', vrfs: [vrf.name], subject: `${ns} ${vrf.name}`,
        message: `DNS from VRF ${vrf.name} will fail: ${ns} (${resolv.path}) is served by ${view.listenerText(l)} ${where}`,
        fix, hint, safe: false,
      });
    }
  }
  return out;
}

/** Addresses a packet coming in through a VRF could be sent to. */
function vrfAddresses(view: HostView): Set<string> {
  const set = new Set<string>();
  for (const a of view.state.addresses) {
    if (view.vrfOfDevice(a.index) && a.local !== undefined) set.add(a.local);
    else if (view.vrfOfDevice(a.index) && a.address !== undefined) set.add(a.address);
  }
  return set;
}

function checkAccept(view: HostView): Finding[] {
  const out: Finding[] = [];
  const withPorts = view.vrfs.filter((v) => view.ports(v).length > 0);
  if (withPorts.length === 0) return out;
  const reachable = vrfAddresses(view);
  for (const protocol of ['tcp', 'udp', 'raw'] as const) {
    const key = ACCEPT_KEY[protocol];
    if (view.sysctl(key) !== 0) continue;
    const stranded = view.state.listeners.filter((l) => l.protocol === protocol && l.ifindex === 0 && !isLoopback(l.address) &&
      (isWildcard(l.address) || reachable.has(l.address)));
    if (stranded.length === 0) continue;
    const names = withPorts.map((v) => v.name);
    const shown = stranded.slice(0, 3).map((l) => view.listenerText(l)).join(', ');
    const more = stranded.length > 3 ? ` and ${stranded.length - 3} more` : '';
    out.push({
      id: `${protocol}-l3mdev-accept`, severity: 'warning', vrfs: names, subject: key,
      message: `${key} is 0: ${shown}${more} listen${stranded.length === 1 ? 's' : ''} in the default VRF and cannot be reached through the ports of VRF${names.length > 1 ? 's' : ''} ${names.join(', ')}`,
      fix: view.vrfctl(`sysctl set ${key}=1`),
      hint: `or run each service in its VRF: ${view.vrfctl(`exec ${names[0]} -- CMD`)}`,
      safe: false,
    });
  }
  return out;
}

function checkSsh(view: HostView): Finding[] {
  const ssh = view.state.ssh;
  if (!ssh) return [];
  const addr = view.state.addresses.find((a) => (a.local ?? a.address) === ssh.address);
  const vrf = addr ? view.vrfOfDevice(addr.index) : undefined;
  if (!addr || !vrf) return [];
  const sshd = view.state.listeners.filter((l) => l.protocol === 'tcp' && l.port === ssh.port && (l.ifindex === 0 || l.ifindex === vrf.link.index) && listensOn(l, ssh.address));
  if (sshd.length === 0 || sshd.some((l) => servesVrf(view, l, vrf))) return [];
  const dev = view.name(addr.index);
  return [{
    id: 'ssh-session-on-port', severity: 'error', vrfs: [vrf.name], subject: `${ssh.address}:${ssh.port}`,
    message: `this SSH session arrives on ${dev} (${ssh.address}), which is in VRF ${vrf.name}, but ${view.listenerText(sshd[0])} listens in the default VRF and net.ipv4.tcp_l3mdev_accept is 0: new SSH connections to ${ssh.address} are refused`,
    fix: view.vrfctl('sysctl set net.ipv4.tcp_l3mdev_accept=1'),
    hint: `or run an sshd in the VRF: ${view.vrfctl(`exec ${vrf.name} -- /usr/sbin/sshd`)}`,
    safe: false,
  }];
}

export function checkSockets(view: HostView): Finding[] {
  return [...checkDns(view), ...checkSsh(view), ...checkAccept(view)];
}
