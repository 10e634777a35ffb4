// ava configuration for the lab tests that need systemd as PID 1 (packages/*/test-lab/systemd),
// run by tools/test.mjs in a second guest booted with `tools/lab/run --systemd`.
export default {
  files: ['build/lab/packages/*/test-lab/systemd/**/*.test.js'],
  workerThreads: false,
  cache: false,
  timeout: '5m',
};
