// ava configuration for the lab tests (packages/*/test-lab), which tools/test.mjs compiles to
// build/lab with tsconfig.lab.json first. Run inside the lab from the repository root:
//   npx tsc -p tsconfig.lab.json
//   tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs --config ava.lab.config.mjs
export default {
  // test-lab/systemd needs systemd as PID 1: ava.lab-systemd.config.mjs, a guest of its own.
  files: ['build/lab/packages/*/test-lab/**/*.test.js', '!build/lab/packages/*/test-lab/systemd/**'],
  workerThreads: false,
  // The host root is read-only in the lab: ava must not write node_modules/.cache.
  cache: false,
  timeout: '5m',
};
