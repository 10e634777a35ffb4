// The library side of the CLI: what tests and other tools call without spawning vrfctl.
export { runDoctor, diagnose, parseDoctorArgs, type DoctorArgs } from './commands/doctor.js';
export {
  gatherState, findVrfProcesses, parseNameservers, resolvConfPath, vrfsOf, runChecks, counts, EXIT_DOCTOR_ERRORS, formatJson, formatText,
  fixSteps, findingJson, SEVERITIES, type DoctorState, type GatherOptions, type Vrf, type VrfProcesses, type DoctorJson, type Finding, type Severity,
} from './doctor/index.js';
export { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './errors.js';
export type { GlobalOptions } from './context.js';
// Where the output of runDoctor and the other command functions goes (fd 1 unless redirected).
export { redirectOut } from './stdout.js';
