// Table names vrfctl writes to rt_tables.d (`vrfctl add --rt-tables-name`, doctor's fix). A name
// is a promise to every later `ip route … table NAME`: naming table 2001 "main" would send the
// user's main-table routes into 2001, so reserved names and names already given to another id are
// refused. Lines vrfctl writes carry a marker comment, so a file someone else owns is merged into,
// never replaced, and `vrfctl del` removes exactly the lines `add` wrote.
import { closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ArgumentError } from './args.js';
import { IPROUTE2_DIR, NameDatabase, tableNames } from './names.js';

/** iproute2's built-in table names (rtnl_rttable_hash): never another table's. */
export const RESERVED_TABLE_NAMES: readonly string[] = ['unspec', 'default', 'main', 'local'];

/** The comment that marks a line as vrfctl's, with the VRF it was written for. */
const marker = (vrf: string | undefined): string => `# vrfctl${vrf === undefined ? '' : ` vrf ${vrf}`}`;
/** Files earlier versions wrote whole: every entry in them is vrfctl's. */
const OLD_HEADER = '# written by vrfctl';
const ENTRY = /^\s*(0x[0-9a-fA-F]+|\d+)\s+([^\s#]+)\s*(#.*)?$/;

/** Refuses a name iproute2 reserves or one the databases already give another id. */
export function checkTableName(name: string, id: number, dir = IPROUTE2_DIR): void {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name) || name === '.' || name === '..' || /^\d+$/.test(name)) {
    throw new ArgumentError(`invalid table name "${name}": letters, digits, '_', '.', '-', not all digits`);
  }
  if (!Number.isInteger(id) || id < 1 || id > 0xffffffff) throw new ArgumentError(`invalid table id ${id}: must be 1 to 4294967295`);
  if (RESERVED_TABLE_NAMES.includes(name)) throw new ArgumentError(`table name "${name}" is reserved by iproute2: choose another`);
  const known = new NameDatabase('rt_tables', [], dir);
  if (known.has(name)) {
    const other = known.id(name, 'table id');
    if (other !== id) throw new ArgumentError(`table name "${name}" already names table ${other} in ${join(dir, 'rt_tables')}[.d]: choose another`);
  }
}

/** Writes a file atomically (temp file + rename), mode 0644 so every user's ip can read it. */
function writeWhole(target: string, text: string): void {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w', 0o644);
    try {
      writeSync(fd, text);
      // The umask may have narrowed the mode.
      fchmodSync(fd, 0o644);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Adds "ID NAME # vrfctl vrf VRF" to rt_tables.d/NAME.conf, keeping whatever the file already
 * holds; nothing is written when the line is there already. Returns the file's path.
 */
export function writeTableName(name: string, id: number, dir = IPROUTE2_DIR, vrf?: string): string {
  checkTableName(name, id, dir);
  const d = join(dir, 'rt_tables.d');
  mkdirSync(d, { recursive: true, mode: 0o755 });
  const target = join(d, `${name}.conf`);
  const before = existsSync(target) ? readFileSync(target, 'utf8') : '';
  const present = before.split('\n').some((line) => {
    const m = ENTRY.exec(line);
    return m !== null && Number(m[1]) === id && m[2] === name;
  });
  if (!present) writeWhole(target, `${before}${before === '' || before.endsWith('\n') ? '' : '\n'}${id}\t${name}\t${marker(vrf)}\n`);
  tableNames.reload();
  return target;
}

/**
 * Removes the entries for table `id` that vrfctl wrote (for `vrf` when given) from rt_tables.d;
 * a file left with no entry is removed. Returns the files changed.
 */
export function removeTableNames(id: number, dir = IPROUTE2_DIR, vrf?: string): string[] {
  const d = join(dir, 'rt_tables.d');
  let files: string[];
  try {
    files = readdirSync(d).filter((f) => f.endsWith('.conf')).sort();
  } catch {
    return [];
  }
  const changed: string[] = [];
  for (const f of files) {
    const path = join(d, f);
    if (!statSync(path).isFile()) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    const whole = lines[0] === OLD_HEADER;
    const ours = (line: string): boolean => {
      const m = ENTRY.exec(line);
      if (m === null || Number(m[1]) !== id) return false;
      const comment = m[3]?.trim();
      if (comment === undefined) return whole;
      return vrf === undefined ? comment.startsWith(marker(undefined)) : comment === marker(vrf) || comment === marker(undefined);
    };
    const kept = lines.filter((l) => !ours(l));
    if (kept.length === lines.length) continue;
    if (!kept.some((l) => ENTRY.test(l))) rmSync(path, { force: true });
    else writeWhole(path, kept.join('\n'));
    changed.push(path);
  }
  if (changed.length > 0) tableNames.reload();
  return changed;
}
