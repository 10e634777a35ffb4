// Processes left in the cgroup of a VRF that no longer exists (vrfctl exec / ip vrf exec, or a
// service started through them): the cgroup's program still binds their new sockets to the
// old VRF's ifindex, a device that is gone, so they can neither send nor receive.
import type { Finding } from './finding.js';
import type { HostView } from './view.js';

export function checkCgroups(view: HostView): Finding[] {
  const out: Finding[] = [];
  for (const group of view.state.vrfProcesses) {
    if (view.vrfNamed(group.vrf)) continue;
    const list = group.pids.slice(0, 5).map((p) => `${p.pid} (${p.comm})`).join(', ');
    const more = group.pids.length > 5 ? ` and ${group.pids.length - 5} more` : '';
    const procs = `${group.base}/cgroup.procs`;
    out.push({
      id: 'orphan-vrf-cgroup', severity: 'error', vrfs: [], subject: group.path,
      message: `process${group.pids.length > 1 ? 'es' : ''} ${list}${more} run${group.pids.length > 1 ? '' : 's'} in the cgroup of VRF ${group.vrf}, which no longer exists: ${group.pids.length > 1 ? 'their' : 'its'} new sockets are bound to a deleted device and cannot send or receive`,
      fix: group.pids.map((p) => `echo ${p.pid} > ${procs}`).join('; '),
      hint: `that moves ${group.pids.length > 1 ? 'them' : 'it'} back to the default VRF; or stop ${group.pids.length > 1 ? 'them' : 'it'} and start again in an existing VRF: ${view.vrfctl('exec VRF -- CMD')}`,
      safe: false,
    });
  }
  return out;
}
