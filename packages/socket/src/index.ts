export type {
  Request, BatchResult, DumpOptions, CallOptions, SyncOptions, AsyncOptions, SyncNetlink, AsyncNetlink, SpecResult,
} from './types.js';
export { NetlinkSocket, openNetlink } from './socket.js';
export type { OpenOptions, SocketStats, MonitorEvent, EventSink, RawDatagram } from './socket.js';
export { Monitor, openMonitor } from './monitor.js';
export type { MonitorOptions } from './monitor.js';
export { Exchange } from './exchange.js';
export type { ExchangeMode } from './exchange.js';
export { closeNetnsFd, createNetns, deleteNetns, inNetns, listNetnsNames, netnsPath, openNetnsFd } from './netns.js';
export type { NetnsTarget } from './netns.js';
export {
  SystemError, TimeoutError, AbortError, DumpInterrupted, OverrunError, UnknownOutcomeError, SocketClosedError,
} from './errors.js';
export { messageTypeName } from './type-names.js';
export {
  type Step, type Plan, type PlanMakers, type Arity, type SyncOps, type AsyncOps,
  ack, request, dump, batch, runSync, runAsync, mergeOptions, bindPlans, bindSync, bindAsync,
} from './plan.js';
export { encodeRequest, RecordingNetlink } from './recording.js';
