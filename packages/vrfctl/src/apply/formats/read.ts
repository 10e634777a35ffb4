// Which format a file is in, and its content as our checked Desired: a directory is
// systemd-networkd's (its .netdev/.network files), YAML whose top level is `network:` is netplan's,
// any other YAML is ours. Every format ends in the same checker, so the same VRF written three
// ways gives the same plan.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { printable } from '@vrfctl/netlink';
import { checkDesired, parseYaml, SchemaError, YAML_LIMITS, type Desired } from '../schema.js';
import { IniSyntaxError } from './ini.js';
import { fromNetplan, isNetplan, type Translation } from './netplan.js';
import { readNetworkdDir } from './networkd.js';

export type SourceFormat = 'vrfctl' | 'netplan' | 'networkd';

export interface Source {
  format: SourceFormat;
  desired: Desired;
}

/** Reads `file` ('-' is stdin, ours or netplan's YAML). I/O errors are thrown as they come. */
export function readSource(file: string): Source {
  if (file !== '-' && statSync(file).isDirectory()) {
    let t: Translation;
    try {
      t = readNetworkdDir(file);
    } catch (err) {
      if (err instanceof IniSyntaxError) throw new SchemaError([err.message]);
      throw err;
    }
    return { format: 'networkd', desired: checked(t) };
  }
  if (/\.(netdev|network)$/.test(file)) throw new SchemaError([`${file}: give the directory that holds the networkd files, not one of them`]);
  const root = parseYaml(readBounded(file, YAML_LIMITS.bytes), printable(file, 80));
  if (isNetplan(root)) return { format: 'netplan', desired: checked(fromNetplan(root as Record<string, unknown>)) };
  return { format: 'vrfctl', desired: checkDesired(root) };
}

/** The file's text, read no further than limit bytes: `apply /dev/zero` is refused, never fills memory. */
function readBounded(file: string, limit: number): string {
  const fd = file === '-' ? 0 : openSync(file, 'r');
  try {
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    while (n < buf.length) {
      let got: number;
      try {
        got = readSync(fd, buf, n, buf.length - n, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw err;
      }
      if (got === 0) break;
      n += got;
    }
    if (n > limit) throw new SchemaError([`${printable(file, 80)}: larger than ${limit} bytes`]);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

/** The translation's own problems first, then the checker's, all in one SchemaError. */
function checked(t: Translation): Desired {
  let desired: Desired | undefined;
  const problems = [...t.problems];
  try {
    desired = checkDesired(t.document);
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    problems.push(...err.problems);
  }
  if (problems.length > 0 || !desired) throw new SchemaError(problems);
  return desired;
}
