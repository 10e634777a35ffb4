// A link's counters as `ip -s link` prints them: two header/value line pairs whose columns are
// as wide as the widest of the header word and the values under it, and the JSON `stats64`.
import type { Link } from '@vrfctl/rtnetlink';

/** ip's minimum column widths: the widest header word of each column. */
const MIN_WIDTHS = ['*X errors:', 'packets', 'errors', 'dropped', 'heartbt', 'overrun', 'compressed'].map((w) => w.length);

/** The RX and TX counters in their columns; JSON numbers (counters past 2^53 lose precision). */
function counters(link: Link): { rx: bigint[]; tx: bigint[] } | undefined {
  const s = link.stats64;
  if (!s) return undefined;
  return {
    rx: [s.rxBytes, s.rxPackets, s.rxErrors, s.rxDropped, s.rxMissedErrors, s.multicast, s.rxCompressed],
    tx: [s.txBytes, s.txPackets, s.txErrors, s.txDropped, s.txCarrierErrors, s.collisions, s.txCompressed],
  };
}

/** The four lines `ip -s link` adds under a link (none when the kernel sent no counters). */
export function formatLinkStats(link: Link): string[] {
  const c = counters(link);
  if (!c) return [];
  const widths = MIN_WIDTHS.map((w, i) => Math.max(w, String(c.rx[i]).length, String(c.tx[i]).length));
  const header = (dir: string, words: string[], compressed: bigint): string =>
    `    ${dir}: ${String(words[0]).padStart(widths[0] - 4)}` +
    words.slice(1).map((w, i) => ` ${w.padStart(widths[i + 1])}`).join('') +
    ` ${(compressed ? 'compressed' : '').padStart(widths[6])}`;
  const values = (v: bigint[]): string =>
    '    ' + v.slice(0, 6).map((n, i) => `${String(n).padStart(widths[i])} `).join('') + (v[6] ? `${String(v[6]).padStart(widths[6])} ` : '');
  return [
    header('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'], c.rx[6]), values(c.rx),
    header('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'], c.tx[6]), values(c.tx),
  ];
}

/** `stats64` of `ip -s -j link`, keys in ip's order. */
export function linkStatsToJson(link: Link): Record<string, Record<string, number>> | undefined {
  const s = link.stats64;
  if (!s) return undefined;
  const rx: Record<string, number> = {
    bytes: Number(s.rxBytes), packets: Number(s.rxPackets), errors: Number(s.rxErrors), dropped: Number(s.rxDropped),
    over_errors: Number(s.rxOverErrors), multicast: Number(s.multicast),
  };
  if (s.rxCompressed) rx.compressed = Number(s.rxCompressed);
  const tx: Record<string, number> = {
    bytes: Number(s.txBytes), packets: Number(s.txPackets), errors: Number(s.txErrors), dropped: Number(s.txDropped),
    carrier_errors: Number(s.txCarrierErrors), collisions: Number(s.collisions),
  };
  if (s.txCompressed) tx.compressed = Number(s.txCompressed);
  return { rx, tx };
}
