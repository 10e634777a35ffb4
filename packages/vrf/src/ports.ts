// enslave / release: putting ports into a VRF and taking them out (IFLA_MASTER). The kernel
// cycles the port down and up on both, which drops every route through it and re-creates the
// connected and local ones in the new table: a default route through the port is lost, and an
// SSH session arriving on the port stalls. Both are reported as warnings before anything moves.
import { Errno, NetlinkError } from '@vrfctl/netlink';
import { listAddresses, listLinks, setLinkRequest } from '@vrfctl/link';
import { addRoute, deleteRoute, routeSpecOf, vrfTableOf, type RouteSpec } from '@vrfctl/route';
import { RT_TABLE, type Address, type Link, type Route } from '@vrfctl/rtnetlink';
import { ack, type Plan } from '@vrfctl/socket';
import { allRoutes } from './routes.js';
import { VrfError } from './names.js';
import { rollback } from './rollback.js';
import { portKeepsakes, restoreKeepsakes } from './port-keepsakes.js';
import { ArgumentError, checkVrfName } from './validate.js';
import { validateInterfaceName } from '@vrfctl/iproute2';

export interface PortOptions {
  /** SSH_CONNECTION of the session running the command ("client port server port"); default: the environment's. */
  sshConnection?: string;
}

export interface EnslaveOptions extends PortOptions {
  /**
   * Re-create the port's default routes (main table) in the VRF table after enslaving it (the
   * kernel drops them when it cycles the port), then make sure none is left in main.
   */
  moveDefaultRoute?: boolean;
}

export interface PortChange {
  name: string;
  ifindex: number;
  /** ifindex of the master before the change (0: none). */
  previousMaster: number;
  /** False when the port already was where it was asked to go. */
  changed: boolean;
}

export interface PortsResult {
  vrf?: string;
  ports: PortChange[];
  warnings: string[];
  /** Default routes re-created in the VRF table (moveDefaultRoute). */
  movedRoutes: RouteSpec[];
}

function viaPort(r: Route, index: number): boolean {
  return r.oif === index || (r.multipath ?? []).some((h) => h.ifindex === index);
}

function describeDefault(r: Route, dev: string): string {
  const gw = r.gateway ?? r.multipath?.find((h) => h.gateway)?.gateway;
  return `default${gw ? ` via ${gw}` : ''} dev ${dev}${r.table === RT_TABLE.main ? '' : ` table ${r.table}`}`;
}

/** The local address of an SSH session, from SSH_CONNECTION. */
export function sshLocalAddress(sshConnection: string | undefined): string | undefined {
  const fields = sshConnection?.trim().split(/\s+/) ?? [];
  return fields.length === 4 ? fields[2].replace(/^::ffff:/, '') : undefined;
}

interface PortCheck {
  links: Link[];
  targets: Link[];
  defaults: Map<number, Route[]>;
  warnings: string[];
}

/** Syntax of the device list, before any lookup. */
function checkDeviceNames(devs: readonly string[]): void {
  if (devs.length === 0) throw new ArgumentError('no device given');
  for (const d of devs) validateInterfaceName(d);
  if (new Set(devs).size !== devs.length) throw new ArgumentError('a device is named twice');
}

function* checkPorts(devs: readonly string[], tableOfTarget: number | undefined, options: PortOptions, verb: string): Plan<PortCheck> {
  checkDeviceNames(devs);
  const links = yield* listLinks();
  const targets = devs.map((d) => {
    const link = links.find((l) => l.ifname === d || l.altNames?.includes(d));
    if (!link) throw new VrfError(`Cannot find device "${d}"`, Errno.ENODEV);
    return link;
  });
  const defaults = new Map<number, Route[]>();
  const warnings: string[] = [];
  const ssh = sshLocalAddress(options.sshConnection ?? process.env.SSH_CONNECTION);
  const addresses: Address[] = ssh === undefined ? [] : yield* listAddresses();
  for (const family of [4, 6] as const) {
    for (const r of yield* allRoutes(family)) {
      if (r.dst !== undefined || r.type !== 'unicast' || r.table === tableOfTarget) continue;
      for (const t of targets) if (viaPort(r, t.index)) defaults.set(t.index, [...(defaults.get(t.index) ?? []), r]);
    }
  }
  for (const t of targets) {
    const name = t.ifname ?? String(t.index);
    for (const r of defaults.get(t.index) ?? []) {
      warnings.push(`${name} carries the route "${describeDefault(r, name)}": ${verb} ${name} removes it from table ${r.table}` +
        ` (the kernel cycles the port and moves its routes to the new table)`);
    }
    if (ssh !== undefined && addresses.some((a) => a.index === t.index && (a.local ?? a.address) === ssh)) {
      warnings.push(`the SSH session this command runs from arrives on ${name} (${ssh}): ${verb} it may cut the session` +
        ' (set net.ipv4.tcp_l3mdev_accept=1 so sshd keeps accepting through a VRF)');
    }
  }
  return { links, targets, defaults, warnings };
}

/** Checks an enslave request and returns its warnings without changing anything. */
export function* checkEnslave(vrfName: string, devs: readonly string[], options: PortOptions = {}): Plan<string[]> {
  checkDeviceNames(devs);
  const vrf = yield* vrfLink(vrfName);
  return (yield* checkPorts(devs, vrfTableOf(vrf), options, 'enslaving')).warnings;
}

function* vrfLink(name: string): Plan<Link> {
  checkVrfName(name);
  const links = yield* listLinks();
  const vrf = links.find((l) => l.ifname === name);
  if (!vrf || vrfTableOf(vrf) === undefined) throw new VrfError(vrf ? `"${name}" is not a VRF device` : `VRF "${name}" does not exist`, Errno.ENODEV);
  return vrf;
}

/**
 * Runs the IFLA_MASTER changes; if one fails, the ports already moved go back where they were.
 * Either way the IPv6 addresses and permanent neighbours the kernel dropped in the move are put back.
 */
function* moveMasters(changes: PortChange[], master: number): Plan<void> {
  const kept = yield* portKeepsakes(changes.filter((c) => c.changed).map((c) => c.ifindex));
  const undo: Array<() => Plan<void>> = [];
  try {
    for (const c of changes) {
      if (!c.changed) continue;
      yield* ack(setLinkRequest(c.ifindex, { master }, master));
      undo.push(() => ack(setLinkRequest(c.ifindex, { master: c.previousMaster }, c.previousMaster)));
    }
  } catch (err) {
    yield* rollback(undo);
    try {
      yield* restoreKeepsakes(kept);
    } catch {
      // The move's own error is the one to report.
    }
    throw err;
  }
  yield* restoreKeepsakes(kept);
}

/** `ip link set DEV master VRF` for each device, all checked first. */
export function* enslave(vrfName: string, devs: readonly string[], options: EnslaveOptions = {}): Plan<PortsResult> {
  checkVrfName(vrfName);
  checkDeviceNames(devs);
  const vrf = yield* vrfLink(vrfName);
  const table = vrfTableOf(vrf) as number;
  const { links, targets, defaults, warnings } = yield* checkPorts(devs, table, options, 'enslaving');
  for (const t of targets) {
    const name = t.ifname ?? String(t.index);
    if (t.index === vrf.index || vrfTableOf(t) !== undefined) throw new ArgumentError(`"${name}" is a VRF device: VRFs do not nest`);
    if (t.flags.includes('LOOPBACK')) throw new ArgumentError(`"${name}" is the loopback device: it cannot be a VRF port`);
    const master = t.master ? links.find((l) => l.index === t.master) : undefined;
    if (master && vrfTableOf(master) === undefined) {
      throw new VrfError(`"${name}" is a port of ${master.linkinfo?.kind ?? 'device'} "${master.ifname}": release it from there first`, Errno.EBUSY);
    }
  }
  const ports = targets.map((t): PortChange => ({
    name: t.ifname ?? String(t.index), ifindex: t.index, previousMaster: t.master ?? 0, changed: t.master !== vrf.index,
  }));
  yield* moveMasters(ports, vrf.index);

  const movedRoutes: RouteSpec[] = [];
  if (options.moveDefaultRoute) {
    for (const t of targets) {
      for (const r of (defaults.get(t.index) ?? []).filter((x) => x.table === RT_TABLE.main)) {
        const copy: RouteSpec = { ...routeSpecOf(r), table };
        // Added in the VRF table first; only then is main checked and cleaned.
        try {
          yield* addRoute(copy);
        } catch (err) {
          if (!(err instanceof NetlinkError && err.errno === Errno.EEXIST)) throw err;
        }
        movedRoutes.push(copy);
        try {
          yield* deleteRoute(routeSpecOf(r));
        } catch (err) {
          // The kernel already dropped it when it cycled the port.
          if (!(err instanceof NetlinkError && (err.errno === Errno.ESRCH || err.errno === Errno.ENOENT))) throw err;
        }
      }
    }
  }
  return { vrf: vrfName, ports, warnings, movedRoutes };
}

/** `ip link set DEV nomaster` for ports of VRFs. */
export function* release(devs: readonly string[], options: PortOptions = {}): Plan<PortsResult> {
  const { links, targets, warnings } = yield* checkPorts(devs, undefined, options, 'releasing');
  for (const t of targets) {
    const master = t.master ? links.find((l) => l.index === t.master) : undefined;
    if (!master || vrfTableOf(master) === undefined) throw new VrfError(`"${t.ifname}" is not a port of a VRF`, Errno.EINVAL);
  }
  const ports = targets.map((t): PortChange => ({ name: t.ifname ?? String(t.index), ifindex: t.index, previousMaster: t.master ?? 0, changed: true }));
  yield* moveMasters(ports, 0);
  return { ports, warnings, movedRoutes: [] };
}
