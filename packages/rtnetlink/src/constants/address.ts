// Address constants: linux/if_addr.h.
import { EnumNames, FlagNames } from '../names.js';

export const IFA = {
  UNSPEC: 0, ADDRESS: 1, LOCAL: 2, LABEL: 3, BROADCAST: 4, ANYCAST: 5, CACHEINFO: 6,
  MULTICAST: 7, FLAGS: 8, RT_PRIORITY: 9, TARGET_NETNSID: 10, PROTO: 11,
} as const;
export const ifaNames = EnumNames.fromObject(IFA, 'IFA_');

/** IFA_F_* by the names `ip addr` prints; the low 8 also fit ifa_flags, the rest need IFA_FLAGS. */
export const IFA_F = {
  secondary: 0x01, nodad: 0x02, optimistic: 0x04, dadfailed: 0x08, home: 0x10,
  deprecated: 0x20, tentative: 0x40, permanent: 0x80, managetempaddr: 0x100,
  noprefixroute: 0x200, mcautojoin: 0x400, stable_privacy: 0x800,
} as const;
export const ifaFlagNames = FlagNames.fromObject(IFA_F);

/** IFAPROT_* (address origin). */
export const addressProtocolNames = new EnumNames([
  ['unspec', 0], ['kernel_lo', 1], ['kernel_ra', 2], ['kernel_ll', 3],
]);
