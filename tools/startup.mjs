// node tools/startup.mjs [--runs N] LABEL=COMMAND… : wall-clock medians of alternating runs.
// Each round runs every command once, in turn, so a load change on a shared machine hits all of
// them alike; a median per command and its ratio to the first one are printed (JSON with --json).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
let runs = 21;
let json = false;
const commands = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--json') json = true;
  else {
    const at = args[i].indexOf('=');
    commands.push({ label: args[i].slice(0, at), argv: args[i].slice(at + 1).split(' ').filter(Boolean) });
  }
}
if (commands.length === 0) {
  process.stderr.write('usage: node tools/startup.mjs [--runs N] [--json] LABEL=COMMAND…\n');
  process.exit(1);
}

function once(argv) {
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const c of commands) once(c.argv); // warm the page cache and write any code cache
const times = commands.map(() => []);
for (let r = 0; r < runs; r++) commands.forEach((c, i) => times[i].push(once(c.argv)));
const result = commands.map((c, i) => ({ label: c.label, ms: median(times[i]), ratio: median(times[i]) / median(times[0]) }));
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else for (const r of result) process.stdout.write(`${r.label.padEnd(28)} ${r.ms.toFixed(1).padStart(7)} ms  ${r.ratio.toFixed(2)}×\n`);
