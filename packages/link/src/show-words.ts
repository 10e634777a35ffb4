// The words `addr show|flush` and `neigh show|flush` share to pick the links they look at.
import type { ArgCursor } from '@vrfctl/iproute2';

export interface LinkSelectorWords {
  dev?: string;
  vrf?: string;
  master?: string;
}

/** Takes `dev DEV`, `vrf NAME` or `master DEV` (w and its value) into a; false for any other word. */
export function takeSelectorWord(a: LinkSelectorWords, w: string, c: ArgCursor): boolean {
  switch (w) {
    case 'dev': a.dev = c.value(w); return true;
    case 'vrf': a.vrf = c.value(w); return true;
    case 'master': a.master = c.value(w); return true;
    default: return false;
  }
}
