// EINTR: a signal landing while a synchronous call sleeps in poll() must neither end the wait
// early nor surface as an error; the call goes back to sleep until its own deadline. (Checked
// with strace: poll returns EINTR to us and is called again with the time that is left.)
import test from 'ava';
import { spawn } from 'node:child_process';
import { REPO, tempNetns } from './helpers.js';

// Runs in a child Node process against the built package (signals would disturb ava's worker).
const CHILD = `
import { openMonitor } from '@vrfctl/socket';
let signals = 0;
process.on('SIGUSR2', () => { signals++; });
const monitor = openMonitor([7], { netns: process.argv[1] }); // RTNLGRP_IPV4_ROUTE, a quiet netns
console.log('ready');
const started = Date.now();
const event = monitor.receiveSync(1500);
const ms = Date.now() - started;
monitor.close();
// JavaScript signal handlers run once the event loop has polled libuv's signal pipe.
setTimeout(() => console.log(JSON.stringify({ event: event ?? null, ms, signals })), 50);
`;

test('signals during a sync receive are retried (EINTR) and the deadline still holds', async (t) => {
  const ns = tempNetns(t);
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, ns], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`child ended before it was ready: ${err}`)));
  });
  // Signals every 100 ms while the child sleeps in poll().
  let sent = 0;
  const timer = setInterval(() => {
    if (child.exitCode === null && sent < 10) {
      child.kill('SIGUSR2');
      sent++;
    }
  }, 100);
  const code = await done;
  clearInterval(timer);
  t.is(code, 0, err);
  const result = JSON.parse(out.split('\n').filter(Boolean).pop() ?? '{}') as { event: unknown; ms: number; signals: number };
  t.is(result.event, null, 'nothing happened in the quiet netns: the wait ends by its timeout');
  t.true(result.signals >= 5, `signals delivered during the wait: ${result.signals}`);
  t.true(result.ms >= 1450, `the wait lasted ${result.ms} ms: EINTR must not cut it short`);
  t.true(result.ms < 5000, `the wait lasted ${result.ms} ms: EINTR must not restart the full timeout each time`);
});
