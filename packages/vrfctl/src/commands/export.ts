// `vrfctl export netplan FILE` prints our YAML file as netplan's `network: vrfs:`;
// `vrfctl export networkd FILE DIR` writes it as systemd-networkd .netdev/.network files
// (atomically, mode 0644), for hosts that want netplan or networkd to own the VRF. Anything the
// target format cannot say is refused, naming the path in our file; nothing is written then.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeLine, type GlobalOptions } from '../context.js';
import { writeOut } from '../stdout.js';
import { EXIT_REFUSED, UsageError } from '../errors.js';
import { loadDesired } from '../apply/load.js';
import { toNetplan } from '../apply/formats/netplan.js';
import { toNetworkd } from '../apply/formats/networkd.js';

const USAGE = 'usage: vrfctl export netplan FILE | export networkd FILE DIR';

export function run(args: string[], _opts: GlobalOptions): number {
  const [target, file, dir, ...rest] = args;
  if (target === 'netplan' ? file === undefined || dir !== undefined : target === 'networkd' ? file === undefined || dir === undefined || rest.length > 0 : true) {
    throw new UsageError(target === undefined || target === 'netplan' || target === 'networkd' ? USAGE : `export: unknown format "${target}" (netplan or networkd)\n${USAGE}`);
  }
  const desired = loadDesired('export', file);
  if (typeof desired === 'number') return desired;
  const out = target === 'netplan' ? toNetplan(desired) : toNetworkd(desired);
  if (out.problems.length > 0) {
    for (const p of out.problems) process.stderr.write(`vrfctl: export: ${p}\n`);
    throw new UsageError(`export: ${file} cannot be written as ${target} (${out.problems.length} problem${out.problems.length === 1 ? '' : 's'} above); nothing written`);
  }
  if ('text' in out) {
    writeOut(out.text);
    return 0;
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of out.files) {
      const path = join(dir, name);
      const tmp = `${path}.vrfctl-tmp`;
      writeFileSync(tmp, text, { mode: 0o644 });
      renameSync(tmp, path);
      writeLine(path);
    }
  } catch (err) {
    process.stderr.write(`vrfctl: export: ${dir}: ${(err as Error).message}\n`);
    return EXIT_REFUSED;
  }
  return 0;
}
