// The exit codes, for tests and scripts that check vrfctl's status by name.
export { EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './errors.js';
