export type * from './types.js';
export { NetlinkSocket, openNetlink } from './socket.js';
export type { OpenOptions, SocketStats, MonitorEvent, EventSink, RawDatagram } from './socket.js';
export { Monitor, openMonitor } from './monitor.js';
export type { MonitorOptions } from './monitor.js';
export { Exchange, doneError } from './exchange.js';
export type { ExchangeMode } from './exchange.js';
export { closeNetnsFd, createNetns, deleteNetns, inNetns, listNetnsNames, netnsPath, openNetnsFd } from './netns.js';
export type { NetnsTarget } from './netns.js';
export {
  SystemError, TimeoutError, AbortError, DumpInterrupted, OverrunError, UnknownOutcomeError, SocketClosedError,
} from './errors.js';
export { messageTypeName } from './type-names.js';
export { ackCost } from './pacing.js';
export * from './plan.js';
export * from './recording.js';
