// Shared by the link, addr and neigh commands: bad input from the library (ArgumentError) is a
// usage error for the CLI (exit 1, one line), and the name tables iproute2 prints with.
import { ArgumentError, parseUnsigned } from '@vrfctl/link';
import { NameDatabase, scopeNames } from '@vrfctl/route';
import { UsageError } from './errors.js';

export function asUsage<T>(body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof ArgumentError) throw new UsageError(err.message);
    throw err;
  }
}

/** /etc/iproute2/group: link groups by name. */
export const groupNames = new NameDatabase('group', [[0, 'default']]);

export function scopeName(scope: number): string {
  return scopeNames.name(scope);
}

export function parseScope(text: string): number {
  return scopeNames.id(text, 'scope', 255);
}

export function parseOnOff(text: string, what: string): boolean {
  if (text === 'on') return true;
  if (text === 'off') return false;
  throw new ArgumentError(`invalid ${what} "${text}": on or off`);
}

export function parseNumber(text: string, what: string, max?: number): number {
  return parseUnsigned(text, what, max);
}
