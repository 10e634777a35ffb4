export { gatherState, findVrfProcesses, parseNameservers, resolvConfPath, vrfsOf, type DoctorState, type GatherOptions, type Vrf, type VrfProcesses } from './state.js';
export { runChecks, counts, EXIT_DOCTOR_ERRORS } from './run.js';
export { formatJson, formatText, type DoctorJson } from './format.js';
export { fixSteps } from './fix.js';
export { findingJson, SEVERITIES, type Finding, type Severity } from './finding.js';
