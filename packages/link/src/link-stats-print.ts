// A link's counters as `ip -s link` prints them: two header/value line pairs whose columns are
// as wide as the widest of the header word and the values under it, and the JSON `stats64`.
// `-s -s` (level 2) adds the RX and TX error counters, which also size the columns.
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

/** The error counters of `-s -s`, in the columns ip puts them (the first column stays empty). */
function errorCounters(link: Link, s: NonNullable<Link['stats64']>): { rx: bigint[]; tx: bigint[] } {
  return {
    rx: [0n, s.rxLengthErrors, s.rxCrcErrors, s.rxFrameErrors, s.rxFifoErrors, s.rxOverErrors, s.rxNohandler],
    tx: [0n, s.txAbortedErrors, s.txFifoErrors, s.txWindowErrors, s.txHeartbeatErrors, BigInt(link.carrierChanges ?? 0), 0n],
  };
}

/**
 * The lines `ip -s link` adds under a link: four at level 1, eight at level 2 (`-s -s`); none
 * when the kernel sent no counters.
 */
export function formatLinkStats(link: Link, level = 1): string[] {
  const c = counters(link);
  if (!c || !link.stats64) return [];
  const e = level > 1 ? errorCounters(link, link.stats64) : undefined;
  const rows = e ? [c.rx, c.tx, e.rx, e.tx] : [c.rx, c.tx];
  const widths = MIN_WIDTHS.map((w, i) => Math.max(w, ...rows.map((r) => String(r[i]).length)));
  const header = (dir: string, words: string[], compressed: bigint): string =>
    `    ${dir}: ${String(words[0]).padStart(widths[0] - 4)}` +
    words.slice(1).map((w, i) => ` ${w.padStart(widths[i + 1])}`).join('') +
    ` ${(compressed ? 'compressed' : '').padStart(widths[6])}`;
  const values = (v: bigint[]): string =>
    '    ' + v.slice(0, 6).map((n, i) => `${String(n).padStart(widths[i])} `).join('') + (v[6] ? `${String(v[6]).padStart(widths[6])} ` : '');
  const rx = [header('RX', ['bytes', 'packets', 'errors', 'dropped', 'missed', 'mcast'], c.rx[6]), values(c.rx)];
  const tx = [header('TX', ['bytes', 'packets', 'errors', 'dropped', 'carrier', 'collsns'], c.tx[6]), values(c.tx)];
  if (!e) return [...rx, ...tx];
  // The error lines start under the second column; a column with nothing to show is left out.
  const errorHeader = (dir: string, words: string[]): string =>
    `    ${dir} errors:${''.padStart(widths[0] - 10)}` + words.map((w, i) => (w ? ` ${w.padStart(widths[i + 1])}` : '')).join('');
  const errorValues = (v: bigint[], shown: number): string =>
    ''.padStart(widths[0] + 5) + v.slice(1, shown + 1).map((n, i) => `${String(n).padStart(widths[i + 1])} `).join('');
  const nohandler = e.rx[6] !== 0n;
  const transns = link.carrierChanges !== undefined;
  return [
    ...rx, errorHeader('RX', ['length', 'crc', 'frame', 'fifo', 'overrun', nohandler ? 'nohandler' : '']), errorValues(e.rx, nohandler ? 6 : 5),
    ...tx, errorHeader('TX', ['aborted', 'fifo', 'window', 'heartbt', transns ? 'transns' : '']), errorValues(e.tx, transns ? 5 : 4),
  ];
}

/** `stats64` of `ip -s -j link` (level 2: `-s -s`, with the error counters), keys in ip's order. */
export function linkStatsToJson(link: Link, level = 1): Record<string, Record<string, number>> | undefined {
  const s = link.stats64;
  if (!s) return undefined;
  const rx: Record<string, number> = {
    bytes: Number(s.rxBytes), packets: Number(s.rxPackets), errors: Number(s.rxErrors), dropped: Number(s.rxDropped),
    over_errors: Number(s.rxOverErrors), multicast: Number(s.multicast),
  };
  if (s.rxCompressed) rx.compressed = Number(s.rxCompressed);
  if (level > 1) {
    Object.assign(rx, {
      length_errors: Number(s.rxLengthErrors), crc_errors: Number(s.rxCrcErrors), frame_errors: Number(s.rxFrameErrors),
      fifo_errors: Number(s.rxFifoErrors), missed_errors: Number(s.rxMissedErrors),
    });
    if (s.rxNohandler) rx.nohandler = Number(s.rxNohandler);
  }
  const tx: Record<string, number> = {
    bytes: Number(s.txBytes), packets: Number(s.txPackets), errors: Number(s.txErrors), dropped: Number(s.txDropped),
    carrier_errors: Number(s.txCarrierErrors), collisions: Number(s.collisions),
  };
  if (s.txCompressed) tx.compressed = Number(s.txCompressed);
  if (level > 1) {
    Object.assign(tx, {
      aborted_errors: Number(s.txAbortedErrors), fifo_errors: Number(s.txFifoErrors), window_errors: Number(s.txWindowErrors),
      heartbeat_errors: Number(s.txHeartbeatErrors),
    });
    if (link.carrierChanges !== undefined) tx.carrier_changes = link.carrierChanges;
  }
  return { rx, tx };
}
