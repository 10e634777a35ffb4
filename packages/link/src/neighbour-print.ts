// Neighbours as `ip neigh` prints them.
import { NTF, NUD, ntfNames, nudNames, type Neighbour } from '@vrfctl/rtnetlink';

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
  return !n.flags.includes('proxy');
}

function flagWords(n: Neighbour): string[] {
  const flags = ntfNames.value(n.flags);
  return FLAG_WORDS.filter(([, bit]) => flags & bit).map(([word]) => word);
}

/** devName: undefined when the output is for one device (ip leaves "dev" out then). */
export function neighbourToJson(n: Neighbour, devName: string | undefined): Record<string, unknown> {
  const j: Record<string, unknown> = { dst: n.dst };
  if (devName !== undefined) j.dev = devName;
  if (n.lladdr !== undefined) j.lladdr = n.lladdr;
  for (const word of flagWords(n)) j[word] = null;
  if (showsState(n)) j.state = stateNames(nudNames.value(n.state));
  return j;
}

export function formatNeighbour(n: Neighbour, devName: string | undefined): string {
  let line = `${n.dst} `;
  if (devName !== undefined) line += `dev ${devName} `;
  if (n.lladdr !== undefined) line += `lladdr ${n.lladdr} `;
  for (const word of flagWords(n)) line += `${word} `;
  if (showsState(n)) line += `${stateNames(nudNames.value(n.state)).join(' ')} `;
  return line;
}
