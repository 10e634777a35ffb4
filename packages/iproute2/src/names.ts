// iproute2's "number name" databases (rt_tables, rt_protos, rt_scopes, rt_realms, rt_dsfield,
// group) and the parsers and printers built on them, shared by routes, rules and links.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RT_TABLE } from '@vrfctl/rtnetlink';
import { ArgumentError, parseUnsigned } from './args.js';

/** Where iproute2 6.1 keeps its name databases; overridable for tests. */
export const IPROUTE2_DIR = process.env.VRFCTL_IPROUTE2_DIR ?? '/etc/iproute2';

/**
 * One of iproute2's "number name" databases (rt_tables, rt_protos, rt_scopes…) with its .d
 * directory of *.conf files, read once and cached, as iproute2 reads them.
 */
export class NameDatabase {
  private byId?: Map<number, string>;
  private byName?: Map<string, number>;

  constructor(
    private readonly file: string,
    private readonly builtins: ReadonlyArray<readonly [number, string]>,
    private readonly dir = IPROUTE2_DIR,
  ) {}

  private load(): void {
    if (this.byId) return;
    const byId = new Map<number, string>();
    const byName = new Map<string, number>();
    const add = (id: number, name: string) => {
      if (!byId.has(id)) byId.set(id, name);
      if (!byName.has(name)) byName.set(name, id);
    };
    for (const [id, name] of this.builtins) add(id, name);
    const files = [join(this.dir, this.file)];
    try {
      const d = join(this.dir, `${this.file}.d`);
      for (const f of readdirSync(d).sort()) if (f.endsWith('.conf')) files.push(join(d, f));
    } catch {
      // no .d directory: only the main file
    }
    for (const f of files) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const m = /^\s*(0x[0-9a-fA-F]+|\d+)\s+([^\s#]+)/.exec(line);
        if (m) add(Number(m[1]), m[2]);
      }
    }
    this.byId = byId;
    this.byName = byName;
  }

  /** The name for an id, or the id as text (as iproute2 prints unknown ids). */
  name(id: number): string {
    this.load();
    return this.byId!.get(id) ?? String(id);
  }

  /** The id for a name or a number; ArgumentError naming what was wrong. */
  id(text: string, what: string, max = 0xffffffff): number {
    this.load();
    const known = this.byName!.get(text);
    if (known !== undefined) return known;
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) return parseUnsigned(text, what, max);
    throw new ArgumentError(`invalid ${what} "${text}": not a number and not in ${join(this.dir, this.file)}`);
  }

  /** The name for an id, or undefined when neither the builtins nor the files name it. */
  lookup(id: number): string | undefined {
    this.load();
    return this.byId!.get(id);
  }

  has(text: string): boolean {
    this.load();
    return this.byName!.has(text);
  }

  /** Forget the cache (after writing a .d file). */
  reload(): void {
    this.byId = undefined;
    this.byName = undefined;
  }
}

export const tableNames = new NameDatabase('rt_tables', [
  [RT_TABLE.local, 'local'],
  [RT_TABLE.main, 'main'],
  [RT_TABLE.default, 'default'],
  [RT_TABLE.unspec, 'unspec'],
]);

export const protocolNames = new NameDatabase('rt_protos', [
  [0, 'unspec'], [1, 'redirect'], [2, 'kernel'], [3, 'boot'], [4, 'static'],
]);

export const scopeNames = new NameDatabase('rt_scopes', [
  [0, 'global'], [200, 'site'], [253, 'link'], [254, 'host'], [255, 'nowhere'],
]);

/** Realms (RTA_FLOW), as `ip route` prints them. */
export const realmNames = new NameDatabase('rt_realms', [[0, 'cosmos']]);

/** TOS / DS field values (rt_dsfield); unnamed ones print as 0x%02x. */
export const dsfieldNames = new NameDatabase('rt_dsfield', [[0, 'default']]);

/** Link groups (/etc/iproute2/group), for `ip link … group` and rules' suppress_ifgroup. */
export const groupNames = new NameDatabase('group', [[0, 'default']]);

/** Table id from "main", "100", "mgmt" (rt_tables or rt_tables.d). "all" is the caller's concern. */
export function parseTable(text: string): number {
  return tableNames.id(text, 'table id');
}

/** A tos/dsfield value: a name from rt_dsfield, else hex with or without 0x (rtnl_dsfield_a2n). */
export function parseDsfield(text: string): number {
  if (dsfieldNames.has(text)) return dsfieldNames.id(text, 'tos');
  if (!/^(0x)?[0-9a-fA-F]{1,8}$/i.test(text)) throw new ArgumentError(`invalid tos "${text}": not a hex number and not in rt_dsfield`);
  const n = Number.parseInt(text.replace(/^0x/i, ''), 16);
  if (n > 255) throw new ArgumentError(`invalid tos "${text}": out of range 0…0xff`);
  return n;
}

/** As iproute2 prints a tos: its rt_dsfield name, else 0x%02x. */
export function formatDsfield(tos: number): string {
  return dsfieldNames.lookup(tos) ?? `0x${tos.toString(16).padStart(2, '0')}`;
}

/** A device group: a name from /etc/iproute2/group, or a number. */
export function parseGroup(text: string, what = 'group'): number {
  return groupNames.id(text, what, 0x7fffffff);
}

export function formatGroup(group: number): string {
  return groupNames.name(group);
}

/** realms [FROM/]TO: each a name from rt_realms or a number below 2^16; the value is from<<16 | to. */
export function parseRealms(text: string): number {
  const parts = text.split('/');
  if (parts.length > 2) throw new ArgumentError(`invalid realms "${text}"`);
  const ids = parts.map((p) => realmNames.id(p, 'realm', 0xffff));
  return ids.length === 2 ? ((ids[0] << 16) | ids[1]) >>> 0 : ids[0];
}

export function formatRealm(realm: number): string {
  return realmNames.name(realm);
}
