// VRFs (l3mdev) over the link, route and rule packages: create, list, show, delete, enslave and
// release ports, run a command in a VRF, identify a process's VRF, the VRF sysctls.
export { DEFAULT_VRF, VrfError, validateNewVrfName, validateVrfName } from './names.js';
export { ArgumentError, MAX_TABLE, RESERVED_TABLES, checkNewVrfName, checkVrfName, validateVrfTable } from './validate.js';
export {
  CGROUP2_FALLBACK_MOUNT, currentNetnsName, ensureCgroup2Mount, findCgroup2Mount, joinCgroup, checkCgroupOwnership, netnsCgroupDir, processCgroup, makeCgroupDir, vrfBaseCgroup, vrfCgroupPath,
  type CgroupPathOptions,
} from './cgroup.js';
export { attachSockCreate, bindCgroupToDevice, bindDevProgram, loadBindDevProgram, loadCgroupSockProgram, querySockCreate } from './bpf.js';
export { enterVrf, execCommand, execInVrf, vrfDeviceIndex } from './exec.js';
export { enterNetnsForExec } from './netns-exec.js';
export { formatPids, identify, pids, vrfCgroups, type PidsOptions, type VrfCgroup, type VrfProcess } from './identify.js';
export { VRF_DEFAULT_METRIC, allRoutes, unreachableDefaultRoute, type IpFamily } from './routes.js';
export { findVrf, linkState, listVrfs, vrfsOf, type Vrf, type VrfPort } from './list.js';
export { createVrf, rtTablesPath, validateCreateVrf, type CreateVrfOptions, type CreatedVrf } from './create.js';
export { deleteVrf, type DeleteVrfOptions, type DeletedVrf } from './delete.js';
export {
  showVrf, vrfRoutes, type VrfAddress, type VrfDetails, type VrfNeighbour, type VrfPortDetails,
} from './show.js';
export {
  checkEnslave, enslave, release, sshLocalAddress, type EnslaveOptions, type PortChange, type PortOptions, type PortsResult,
} from './ports.js';
export { L3MDEV_PREF, dumpRules, ensureVrfRules, l3mdevRuleChanges, ruleRequest, type RuleChange } from './rules.js';
export { rollback } from './rollback.js';
export {
  VRF_SYSCTL_KEYS, parseSysctlAssignment, parseSysctlKey, readSysctl, readVrfSysctls, setVrfSysctls,
  type SysctlAssignment, type SysctlChange, type SysctlKey, type SysctlOptions, type SysctlValue,
} from './sysctl.js';
export {
  createVrfAsync, createVrfSync, deleteVrfAsync, deleteVrfSync, enslaveAsync, enslaveSync, listVrfsAsync, listVrfsSync,
  releaseAsync, releaseSync, showVrfAsync, showVrfSync,
} from './sync.js';
export {
  dumpListeners, readListeners, socketOwners, type Listener, type ListenerDump, type ListenerProtocol, type SocketOwner,
} from './listeners.js';
export { HOST_LOCK, RUN_DIR, takeHostLock, type HostLock } from './lock.js';
export {
  bindCgroupToVrf, boundIfindexOfProgram, cgroupBinding, deviceName, unbindCgroup, unitCgroupOf,
} from './cgroup-binding.js';
export { portKeepsakes, restoreKeepsakes, type PortKeepsakes } from './port-keepsakes.js';
