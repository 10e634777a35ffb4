// Neighbours as `ip neigh` prints them.
import type { Neighbour } from '@vrfctl/link';
import { NTF, NUD } from '@vrfctl/rtnetlink';

const STATE_ORDER: Array<[string, number]> = [
  ['INCOMPLETE', NUD.INCOMPLETE], ['REACHABLE', NUD.REACHABLE], ['STALE', NUD.STALE], ['DELAY', NUD.DELAY],
  ['PROBE', NUD.PROBE], ['FAILED', NUD.FAILED], ['NOARP', NUD.NOARP], ['PERMANENT', NUD.PERMANENT],
];
const FLAG_WORDS: Array<[string, number]> = [
  ['router', NTF.router], ['proxy', NTF.proxy], ['extern_learn', NTF.extern_learn], ['offload', NTF.offloaded],
];

export function stateNames(state: number): string[] {
  if (state === 0) return ['NONE'];
  const out = STATE_ORDER.filter(([, bit]) => state & bit).map(([n]) => n);
  const rest = state & ~STATE_ORDER.reduce((m, [, b]) => m | b, 0);
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

function showsState(n: Neighbour): boolean {
  return !(n.flags & NTF.proxy);
}

/** devName: undefined when the output is for one device (ip leaves "dev" out then). */
export function neighbourToJson(n: Neighbour, devName: string | undefined): Record<string, unknown> {
  const j: Record<string, unknown> = { dst: n.dst };
  if (devName !== undefined) j.dev = devName;
  if (n.lladdr !== undefined) j.lladdr = n.lladdr;
  for (const [word, bit] of FLAG_WORDS) if (n.flags & bit) j[word] = null;
  if (showsState(n)) j.state = stateNames(n.state);
  return j;
}

export function formatNeighbour(n: Neighbour, devName: string | undefined): string {
  let line = `${n.dst} `;
  if (devName !== undefined) line += `dev ${devName} `;
  if (n.lladdr !== undefined) line += `lladdr ${n.lladdr} `;
  for (const [word, bit] of FLAG_WORDS) if (n.flags & bit) line += `${word} `;
  if (showsState(n)) line += `${stateNames(n.state).join(' ')} `;
  return line;
}
