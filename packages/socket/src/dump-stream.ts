// Streamed dumps, where nothing but the current datagram is held: dumpEach() (sync, a callback
// per message) and dumpIterator() (an async iterator: messages are queued as they are read and
// handed out one by one; the socket is read only while the consumer waits). Neither can restart
// on NLM_F_DUMP_INTR (messages were already handed out): both throw DumpInterrupted instead.
import { NLM_F_DUMP_INTR, type Message } from '@vrfctl/netlink';
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

/**
 * dumpEach's body: ex's messages go to onMessage as they are read by pump (which reads until its
 * condition holds, abandoning ex and throwing on a timeout or a socket failure). The first
 * message carrying NLM_F_DUMP_INTR is not delivered and DumpInterrupted is thrown; a caller that
 * must not show a torn dump buffers what it made of the messages and, on DumpInterrupted, drops
 * that and falls back to dump() and its retries. An error thrown by onMessage ends the dump too;
 * the rest of an interrupted or failed dump is drained, as for any abandoned dump.
 */
export function eachDumpMessage(
  ex: Exchange,
  onMessage: (m: Message) => void,
  pump: (stop: () => boolean) => void,
  abandon: (reason: Error) => void,
): void {
  let failure: Error | undefined;
  ex.onMessage = (m) => {
    if (failure !== undefined) return;
    if (m.header.flags & NLM_F_DUMP_INTR) {
      failure = new DumpInterrupted(1, ex.what);
      return;
    }
    try {
      onMessage(m);
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
    }
  };
  // Stop reading at the first failure: the rest is left to abandon() and drained later.
  pump(() => ex.done || failure !== undefined);
  if (failure !== undefined) {
    abandon(failure);
    throw failure;
  }
  if (ex.error) throw ex.error;
  // The flag may come only on NLMSG_DONE.
  if (ex.interrupted) throw new DumpInterrupted(1, ex.what);
}
