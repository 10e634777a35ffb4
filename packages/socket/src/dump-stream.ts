// A dump as an async iterator: messages are queued as they are read and handed out one by one;
// the socket is read only while the consumer waits, so memory stays bounded.
import { type Message } from '@vrfctl/netlink';
import { DumpInterrupted } from './errors.js';
import type { Exchange } from './exchange.js';

export interface StreamHost {
  /** Waits (reading the socket) until arm's finish() is called; abort and timeout reject. */
  wait(arm: (finish: (err?: Error) => void) => () => void): Promise<void>;
  /** The consumer stopped early or failed: the rest of the dump is drained and dropped. */
  abandon(reason: Error): void;
}

export async function* streamDump(ex: Exchange, host: StreamHost): AsyncGenerator<Message, void, undefined> {
  const queue: Message[] = [];
  let head = 0;
  let wake: (() => void) | null = null;
  ex.onMessage = (m) => {
    queue.push(m);
    wake?.();
  };
  try {
    for (;;) {
      while (head < queue.length) {
        const m = queue[head];
        queue[head++] = undefined as unknown as Message;
        if (head > 1024) {
          queue.splice(0, head);
          head = 0;
        }
        yield m;
      }
      if (ex.done) {
        if (ex.error) throw ex.error;
        if (ex.interrupted) throw new DumpInterrupted(1, ex.what);
        return;
      }
      await host.wait((finish) => {
        wake = () => finish();
        ex.onSettle = () => finish();
        return () => {
          wake = null;
          ex.onSettle = undefined;
        };
      });
    }
  } finally {
    if (!ex.done) host.abandon(new Error('the dump iterator was closed'));
  }
}
