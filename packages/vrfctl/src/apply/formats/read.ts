// Which format a file is in, and its content as our checked Desired: a directory is
// systemd-networkd's (its .netdev/.network files), YAML whose top level is `network:` is netplan's,
// any other YAML is ours. Every format ends in the same checker, so the same VRF written three
// ways gives the same plan.
import { readFileSync, statSync } from 'node:fs';
import { checkDesired, parseYaml, SchemaError, type Desired } from '../schema.js';
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
  const root = parseYaml(readFileSync(file === '-' ? 0 : file, 'utf8'), file);
  if (isNetplan(root)) return { format: 'netplan', desired: checked(fromNetplan(root as Record<string, unknown>)) };
  return { format: 'vrfctl', desired: checkDesired(root) };
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
