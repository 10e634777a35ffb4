/** Counters of one socket (what was read, dropped, retried). */
export interface SocketStats {
  /** Datagrams from a non-kernel sender (nl_pid != 0), dropped. */
  foreignDropped: number;
  /** Replies with an unknown or abandoned seq, or not addressed to our port, dropped. */
  staleDropped: number;
  /** Multicast notifications read while no monitor was listening, dropped. */
  multicastDropped: number;
  /** Dumps restarted because of NLM_F_DUMP_INTR. */
  dumpRetries: number;
  /** recvmsg ENOBUFS or oversized datagrams: the kernel dropped data for us. */
  overruns: number;
  /** Requests whose answer the kernel dropped (each failed with UnknownOutcomeError). */
  unknownOutcomes: number;
  /** Requests that waited in the socket's queue because the receive buffer had no room for their answers. */
  paced: number;
  /** GETs that shared the answer of an identical one queued and not sent yet (not sent themselves). */
  sharedRequests: number;
  datagrams: number;
  /** recvfrom/recvmmsg calls that returned data (one recvmmsg reads many datagrams). */
  recvCalls: number;
  sendCalls: number;
}

export function newStats(): SocketStats {
  return {
    foreignDropped: 0, staleDropped: 0, multicastDropped: 0, dumpRetries: 0, overruns: 0,
    unknownOutcomes: 0, paced: 0, sharedRequests: 0, datagrams: 0, recvCalls: 0, sendCalls: 0,
  };
}
