// The README blocks that create VRFs, bonds or ipvlans, which the host kernel cannot run
// (test/examples.test.ts compiles every block strictly and runs the others): here they run
// against a kernel that has them, each in throwaway namespaces of its own mount namespace.
import test from 'ava';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ENVIRONMENTS, LAB_BLOCKS, ROOT, kernelHasLabKinds, readmeBlocks, runBlock } from '../../../test/support/readme-examples.js';

test('the README blocks that need VRFs, bonds or ipvlans run, in throwaway namespaces', (t) => {
  t.true(kernelHasLabKinds(), 'the lab kernel makes vrf, bond and ipvlan links');
  const blocks = readmeBlocks().filter((b) => ENVIRONMENTS[b.key]?.lab);
  t.deepEqual(blocks.map((b) => b.key).sort(), LAB_BLOCKS, 'every lab block is in a README');
  // The repository is read-only in the lab: the blocks go to /tmp, resolving packages from the repository.
  const dir = '/tmp/readme-lab-examples';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const { key, code } of blocks) {
    // Types were checked by the host test; here only the JavaScript is needed (tsc is slow under TCG).
    const js = ts.transpileModule(`${code}\nexport {};\n`, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const file = join(dir, `${key}.js`);
    writeFileSync(file, js);
    const r = runBlock(file, ENVIRONMENTS[key], 240_000);
    t.is(r.status, 0, `${key} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stdout}\n${r.stderr}`);
    t.log(`ran ${key}: ${r.stdout.trim().split('\n').length} lines of output`);
  }
});
