// postinstall: makes the bundle's V8 code cache (dist/bundle/vrfctl.cjs.v8-cache) with the node
// that installed the package, so the first `vrfctl` a user runs already starts from it, also
// where the package directory is not writable later (a global install run by another user).
// It runs the command once: bin/vrfctl.js writes the cache of what that run compiled at exit.
// `vrfctl list` (read-only: one dump of the links), as a cache made by `--version` leaves out the
// command path and netlink code: measured 250 ms CPU per `vrfctl list` against 210 ms with it.
// When list fails (no netlink where the package is built) the cache of what ran is still written.
// Never fails the install: without a cache vrfctl only starts slower (and writes one when it can).
// In the repository (src beside scripts) the first run after bundling writes it instead.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
if (!existsSync(path.join(root, 'src'))) {
  spawnSync(process.execPath, [path.join(root, 'bin/vrfctl.js'), 'list'], { stdio: 'ignore', timeout: 60_000 });
}
