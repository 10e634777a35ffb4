// The version `vrfctl --version` prints and the man page names; test/version.test.ts keeps it
// equal to package.json's (a module constant: reading package.json would cost every start a file).
export const VERSION = '0.1.0';
