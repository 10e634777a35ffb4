// createVrf: `ip link add NAME type vrf table ID` done the safe way. Everything is checked
// before the first change; a step that fails undoes the steps before it.
import { Errno } from '@vrfctl/netlink';
import { join } from 'node:path';
import { IPROUTE2_DIR, checkTableName, removeTableNames, writeTableName } from '@vrfctl/iproute2';
import { addAddress, createLink, deleteLinkRequest, findLink, listLinks, setLinkRequest } from '@vrfctl/link';
import { addRoute, deleteRoute, vrfTableOf } from '@vrfctl/route';
import { RT_SCOPE } from '@vrfctl/rtnetlink';
import { ack, type Plan } from '@vrfctl/socket';
import { unreachableDefaultRoute } from './routes.js';
import { linkState, type Vrf } from './list.js';
import { VrfError } from './names.js';
import { rollback } from './rollback.js';
import { ensureVrfRules, type RuleChange } from './rules.js';
import { ArgumentError, checkNewVrfName, validateVrfTable } from './validate.js';

export interface CreateVrfOptions {
  /** Unreachable default routes (IPv4 and IPv6, metric 4278198272) in the VRF table, so lookups never fall through to main. Default true. */
  defaultUnreachable?: boolean;
  /** 127.0.0.1/8 and ::1/128 on the VRF device, so local services answer inside the VRF. Default false. */
  loopback?: boolean;
  /** Move the local rule from pref 0 to 32765 (IPv4 and IPv6), as the kernel documentation advises. Default true. */
  moveLocalRule?: boolean;
  /** Name the table in rt_tables.d (true: the VRF's name), so `ip route show table NAME` works. */
  rtTablesName?: string | boolean;
  /** Where rt_tables.d lives (default /etc/iproute2). */
  rtTablesDir?: string;
}

export interface CreatedVrf extends Vrf {
  /** Rules added or removed by the rule fixup (never undone: they serve every VRF). */
  ruleChanges: RuleChange[];
  /** The rt_tables.d file written, if any. */
  rtTablesFile?: string;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Checks the arguments of createVrf without touching the system; returns the table id. */
export function validateCreateVrf(name: string, table: number | string, options: CreateVrfOptions = {}): number {
  checkNewVrfName(name);
  const id = validateVrfTable(table);
  const tableName = options.rtTablesName === true ? name : options.rtTablesName || undefined;
  if (tableName !== undefined && (!TABLE_NAME.test(tableName) || tableName === '.' || tableName === '..' || /^\d+$/.test(tableName))) {
    throw new ArgumentError(`invalid rt_tables name "${tableName}": letters, digits, '_', '.', '-', not all digits`);
  }
  // Reserved names and names of other tables are refused before anything is sent.
  if (tableName !== undefined) checkTableName(tableName, id, options.rtTablesDir ?? IPROUTE2_DIR);
  return id;
}

export function* createVrf(name: string, table: number | string, options: CreateVrfOptions = {}): Plan<CreatedVrf> {
  const id = validateCreateVrf(name, table, options);
  const links = yield* listLinks();
  if (links.some((l) => l.ifname === name || l.altNames?.includes(name))) throw new VrfError(`device "${name}" already exists`, Errno.EEXIST);
  const owner = links.find((l) => vrfTableOf(l) === id);
  if (owner) throw new VrfError(`table ${id} is already used by VRF "${owner.ifname}"`, Errno.EEXIST);

  // Undo actions for the changes made so far, run last-first if a later step fails.
  const undo: Array<() => Plan<void>> = [];
  try {
    yield* createLink({ name, kind: 'vrf', vrf: { table: id } });
    // A dry run has not created it: its later requests then name the device (index 0) instead.
    let index = 0;
    undo.push(() => ack(deleteLinkRequest(index, name)));
    const link = yield* findLink(name);
    if (link) index = link.index;

    yield* ack(setLinkRequest(index, index === 0 ? { up: true, name } : { up: true }));
    if (options.defaultUnreachable !== false) {
      for (const family of [4, 6] as const) {
        const route = unreachableDefaultRoute(family, id);
        yield* addRoute(route);
        // Deleting the device does not empty its table: these have to go explicitly.
        undo.push(() => deleteRoute(route));
      }
    }
    if (options.loopback) {
      // Addresses go with the device when it is deleted: no undo needed.
      yield* addAddress({ dev: index, local: '127.0.0.1/8', scope: RT_SCOPE.host });
      yield* addAddress({ dev: index, local: '::1/128', scope: RT_SCOPE.host });
    }
    const ruleChanges = yield* ensureVrfRules(options.moveLocalRule !== false);

    let rtTablesFile: string | undefined;
    const tableName = options.rtTablesName === true ? name : options.rtTablesName || undefined;
    if (tableName !== undefined) {
      const dir = options.rtTablesDir ?? IPROUTE2_DIR;
      rtTablesFile = writeTableName(tableName, id, dir, name);
      // Only the line written for this VRF goes: the file may hold others' entries.
      undo.push(function* () {
        removeTableNames(id, dir, name);
      });
    }
    const up = (yield* findLink(name)) ?? link;
    return {
      name, ifindex: index, table: id, state: up ? linkState(up) : 'UNKNOWN', up: true, ports: [], ruleChanges,
      ...(rtTablesFile !== undefined ? { rtTablesFile } : {}),
    };
  } catch (err) {
    yield* rollback(undo);
    throw err;
  }
}

/** Where a VRF's rt_tables.d entry would be written. */
export function rtTablesPath(tableName: string, dir = IPROUTE2_DIR): string {
  return join(dir, 'rt_tables.d', `${tableName}.conf`);
}
