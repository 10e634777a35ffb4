// Shared by the VRF commands (list, show, add, del, enslave, release, sysctl, exec, identify,
// pids): argument errors as usage errors, flag parsing, warnings, and ip-like formatting.
import { ArgumentError } from '@vrfctl/link';
import type { Route, Rule } from '@vrfctl/rtnetlink';
import { UsageError } from '../errors.js';

/** Library argument errors are the user's input: exit 2 like any usage error. */
export function usage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ArgumentError) throw new UsageError(err.message);
    throw err;
  }
}

/** Splits words into positionals and the given --flags ("--name" or "--name=value"); unknown flags are usage errors. */
export function parseFlags(args: readonly string[], known: readonly string[]): { words: string[]; flags: Map<string, string | true> } {
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  for (const a of args) {
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!known.includes(name)) throw new UsageError(`unknown option "--${name}"${known.length ? ` (known: ${known.map((k) => `--${k}`).join(' ')})` : ''}`);
      flags.set(name, eq < 0 ? true : a.slice(eq + 1));
    } else {
      words.push(a);
    }
  }
  return { words, flags };
}

export function warn(message: string): void {
  process.stderr.write(`vrfctl: warning: ${message}\n`);
}

export function note(message: string): void {
  process.stderr.write(`vrfctl: ${message}\n`);
}

/** Rows as aligned columns (two spaces apart), like ip's tables. */
export function columns(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) =>
    r.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]) : i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd(),
  );
}

const familyText = (f: unknown): 4 | 6 => (f === 'inet6' || f === 10 ? 6 : 4);

/** One route as `ip route show` prints it (the fields VRF tables hold). */
export function formatRoute(r: Route, dev: (index: number) => string): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(String(r.type));
  parts.push(r.dst ?? 'default');
  if (r.gateway) parts.push('via', r.gateway);
  if (r.oif !== undefined) parts.push('dev', dev(r.oif));
  if (r.protocol !== 'boot' && r.protocol !== 'unspec') parts.push('proto', String(r.protocol));
  if (r.scope !== 'global') parts.push('scope', String(r.scope));
  if (r.prefsrc) parts.push('src', r.prefsrc);
  if (r.priority !== undefined) parts.push('metric', String(r.priority));
  for (const hop of r.multipath ?? []) parts.push('\n\tnexthop', ...(hop.gateway ? ['via', hop.gateway] : []), 'dev', dev(hop.ifindex), 'weight', String(hop.hops + 1));
  return parts.join(' ');
}

/** JSON for a route, with ip -j field names. */
export function routeJson(r: Route, dev: (index: number) => string): Record<string, unknown> {
  return {
    ...(r.type !== 'unicast' ? { type: r.type } : {}),
    dst: r.dst ?? 'default',
    ...(r.gateway ? { gateway: r.gateway } : {}),
    ...(r.oif !== undefined ? { dev: dev(r.oif) } : {}),
    ...(r.protocol !== 'boot' && r.protocol !== 'unspec' ? { protocol: r.protocol } : {}),
    ...(r.scope !== 'global' ? { scope: r.scope } : {}),
    ...(r.prefsrc ? { prefsrc: r.prefsrc } : {}),
    ...(r.priority !== undefined ? { metric: r.priority } : {}),
    family: familyText(r.family) === 6 ? 'inet6' : 'inet',
  };
}

/** One rule as `ip rule show` prints it. */
export function formatRule(r: Rule): string {
  const sel = [`from ${r.src ?? 'all'}`];
  if (r.dst) sel.push(`to ${r.dst}`);
  if (r.iif) sel.push(`iif ${r.iif}`);
  if (r.oif) sel.push(`oif ${r.oif}`);
  const target = r.l3mdev ? 'lookup [l3mdev-table]' : `lookup ${r.table === 255 ? 'local' : r.table === 254 ? 'main' : r.table === 253 ? 'default' : r.table}`;
  return `${r.priority ?? 0}:\t${r.not ? 'not ' : ''}${sel.join(' ')} ${target}`;
}
