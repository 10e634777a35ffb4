// Socket-diagnostics constants: linux/sock_diag.h, linux/inet_diag.h, net/tcp_states.h.
import { EnumNames } from '../names.js';

/** The one request and reply type of NETLINK_SOCK_DIAG for inet sockets. */
export const SOCK_DIAG_BY_FAMILY = 20;

/** INET_DIAG_* reply attributes. */
export const INET_DIAG = {
  NONE: 0, MEMINFO: 1, INFO: 2, VEGASINFO: 3, CONG: 4, TOS: 5, TCLASS: 6, SKMEMINFO: 7, SHUTDOWN: 8,
  DCTCPINFO: 9, PROTOCOL: 10, SKV6ONLY: 11, LOCALS: 12, PEERS: 13, PAD: 14, MARK: 15, BBRINFO: 16,
  CLASS_ID: 17, MD5SIG: 18, ULP_INFO: 19, SK_BPF_STORAGES: 20, CGROUP_ID: 21, SOCKOPT: 22,
} as const;

/** Socket states as TCP names them (UDP and raw sockets use ESTABLISHED and CLOSE too). */
export const TCP_STATE = {
  ESTABLISHED: 1, SYN_SENT: 2, SYN_RECV: 3, FIN_WAIT1: 4, FIN_WAIT2: 5, TIME_WAIT: 6, CLOSE: 7,
  CLOSE_WAIT: 8, LAST_ACK: 9, LISTEN: 10, CLOSING: 11, NEW_SYN_RECV: 12,
} as const;
/** 'LISTEN' for 10, as `ss` prints states (upper case). */
export const tcpStateNames = EnumNames.fromObject(TCP_STATE);

/** idiag_states bit for one state. */
export function stateBit(state: number): number {
  return (1 << state) >>> 0;
}

export const IPPROTO = { ICMP: 1, TCP: 6, UDP: 17, ICMPV6: 58, UDPLITE: 136, RAW: 255 } as const;
export const ipProtocolNames = new EnumNames([['tcp', 6], ['udp', 17], ['icmp', 1], ['ipv6-icmp', 58], ['udplite', 136], ['raw', 255]]);
