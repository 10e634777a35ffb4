// ava configuration for the lab tests (packages/*/test-lab): the root package.json's
// "ava" section with only `files` changed. Run inside the lab:
//   tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs --config ava.lab.config.mjs
export default {
  extensions: { ts: 'module' },
  nodeArguments: ['--loader=ts-node/esm', '--conditions=vrfctl-source', '--no-warnings', '--enable-source-maps'],
  environmentVariables: { TS_NODE_PROJECT: 'tsconfig.test.json' },
  files: ['packages/*/test-lab/**/*.test.ts'],
  workerThreads: false,
  // The host root is read-only in the lab: ava must not write node_modules/.cache.
  cache: false,
  timeout: '3m',
};
