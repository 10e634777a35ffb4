// The safe fixes as apply steps, each with its undo, so that --fix runs them through apply's
// executor: in order, and rolled back last-first when one fails.
import { Errno, NetlinkError } from '@vrfctl/netlink';
import { addressRequest, setLinkRequest } from '@vrfctl/link';
import type { Link } from '@vrfctl/rtnetlink';
import { removeTableNames, writeTableName } from '@vrfctl/iproute2';
import { addRoute, deleteRoute } from '@vrfctl/route';
import { fixupRules, ruleRequest } from '@vrfctl/rule';
import { ack } from '@vrfctl/socket';
import { unreachableDefaultRoute } from '@vrfctl/vrf';
import type { Step } from '../apply/steps.js';
import { familyName, type Family } from './view.js';

export function linkUpStep(link: Link, name: string): Step {
  return {
    sign: '~', kind: 'link', title: `set ${name} up`, text: `link ${name} up`,
    *run() {
      yield* ack(setLinkRequest(link.index, { up: true }));
      return () => ack(setLinkRequest(link.index, { up: false }));
    },
  };
}

/** 127.0.0.1/8 (scope host, as ip gives 127/8) or ::1/128 on a VRF device. */
export function loopbackAddressStep(vrf: Link, name: string, family: Family): Step {
  const local = family === 6 ? '::1/128' : '127.0.0.1/8';
  const spec = { dev: vrf.index, local };
  return {
    sign: '+', kind: 'addr', title: `add ${local} to ${name}`, text: `address ${local} dev ${name}`,
    *run() {
      yield* ack(addressRequest('add', spec, vrf.index));
      return () => ack(addressRequest('del', spec, vrf.index));
    },
  };
}

export function unreachableDefaultStep(family: Family, table: number): Step {
  const route = unreachableDefaultRoute(family, table);
  return {
    sign: '+', kind: 'route', title: `add ${familyName(family)} unreachable default to table ${table}`,
    text: `route unreachable default${family === 6 ? ' (IPv6)' : ''} metric ${route.metric} table ${table}`,
    *run() {
      yield* addRoute(route);
      return function* () {
        try {
          yield* deleteRoute(route);
        } catch (err) {
          if (!(err instanceof NetlinkError && (err.errno === Errno.ESRCH || err.errno === Errno.ENOENT))) throw err;
        }
      };
    },
  };
}

/** `vrfctl rule fixup` for one family: l3mdev rule at 1000, local rule 0 → 32765 (added before deleted). */
export function ruleFixupStep(family: Family): Step {
  return {
    sign: '~', kind: 'rule', title: `fix up the ${familyName(family)} l3mdev and local rules`,
    text: `rules ${familyName(family)}: l3mdev at pref 1000, local at pref 32765`,
    *run() {
      const done = yield* fixupRules(family);
      return function* () {
        for (const s of [...done.steps].reverse()) yield* ack(ruleRequest(s.spec, s.change === 'add' ? 'del' : 'add'));
      };
    },
  };
}

export function tableNameStep(name: string, table: number, dir: string): Step {
  return {
    sign: '+', kind: 'file', title: `name table ${table} "${name}"`, text: `rt_tables.d/${name}.conf: ${table} ${name}`,
    // eslint-disable-next-line require-yield
    *run() {
      writeTableName(name, table, dir, name);
      return function* () {
        removeTableNames(table, dir, name);
      };
    },
  };
}
