// node tools/startup.mjs [--runs N] LABEL=COMMAND… : wall-clock medians of alternating runs.
// Each round runs every command once, in turn, so a load change on a shared machine hits all of
// them alike; a median per command and its ratio to the first one are printed (JSON with --json).
// With /usr/bin/time, the median CPU time (user + system, 10 ms resolution) too: on a loaded
// machine it moves far less than the wall clock, which includes waiting for a CPU.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

const TIME = '/usr/bin/time';
const haveTime = existsSync(TIME);
const cpuFile = join(tmpdir(), `startup-cpu-${process.pid}`);

function once(argv) {
  const [cmd, args] = haveTime ? [TIME, ['-f', '%U %S', '-o', cpuFile, ...argv]] : [argv[0], argv.slice(1)];
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const cpu = haveTime ? readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, b) => a + Number(b) * 1000, 0) : NaN;
  return { ms, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const c of commands) once(c.argv); // warm the page cache and write any code cache
const times = commands.map(() => []);
for (let r = 0; r < runs; r++) commands.forEach((c, i) => times[i].push(once(c.argv)));
rmSync(cpuFile, { force: true });
const wall = times.map((ts) => median(ts.map((x) => x.ms)));
const cpu = times.map((ts) => median(ts.map((x) => x.cpu)));
const result = commands.map((c, i) => ({ label: c.label, ms: wall[i], ratio: wall[i] / wall[0], cpuMs: cpu[i], cpuRatio: cpu[i] / cpu[0] }));
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  for (const r of result) {
    const cpuText = haveTime ? `   CPU ${r.cpuMs.toFixed(0).padStart(5)} ms  ${r.cpuRatio.toFixed(2)}×` : '';
    process.stdout.write(`${r.label.padEnd(28)} ${r.ms.toFixed(1).padStart(7)} ms  ${r.ratio.toFixed(2)}×${cpuText}\n`);
  }
  process.stdout.write(`medians of ${runs} alternating runs; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
}
