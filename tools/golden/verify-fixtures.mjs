#!/usr/bin/env node
// Sanity check of every golden fixture: each hex buffer must split cleanly into
// netlink messages by nlmsg_len. Prints a count per directory, exits 1 on any
// inconsistency.  Usage: node tools/golden/verify-fixtures.mjs [DIR]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = resolve(process.argv[2] ?? join(ROOT, 'test/golden/fixtures'));
const NLMSG_HDRLEN = 16;
const NLMSG_ERROR = 2;

function* walk(d) {
  for (const e of readdirSync(d).sort()) {
    const p = join(d, e);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (e.endsWith('.json')) yield p;
  }
}

// Returns a list of problems with one buffer (empty when fine).
function checkBuffer(hex, what, isRequest) {
  if (typeof hex !== 'string' || !/^([0-9a-f]{2})*$/.test(hex)) return [`${what}: not an even-length hex string`];
  const buf = Buffer.from(hex, 'hex');
  const problems = [];
  if (buf.length === 0) return [`${what}: empty buffer`];
  if (buf.length % 4) problems.push(`${what}: length ${buf.length} not 4-byte aligned`);
  let off = 0;
  let n = 0;
  while (off < buf.length) {
    // iproute2 sends some dump requests as send(fd, &req, sizeof(req)): zero
    // bytes after the last message are real wire bytes, not a parse error.
    if (isRequest && n > 0 && buf.subarray(off).every((x) => x === 0)) { padded++; break; }
    if (buf.length - off < NLMSG_HDRLEN) { problems.push(`${what}: ${buf.length - off} stray bytes at ${off}`); break; }
    const len = buf.readUInt32LE(off);
    const type = buf.readUInt16LE(off + 4);
    const flags = buf.readUInt16LE(off + 6);
    if (len < NLMSG_HDRLEN || off + len > buf.length) { problems.push(`${what}: msg ${n} nlmsg_len ${len} at ${off} overruns ${buf.length}`); break; }
    if (isRequest && !(flags & 1)) problems.push(`${what}: msg ${n} lacks NLM_F_REQUEST`);
    if (type === NLMSG_ERROR && len < NLMSG_HDRLEN + 4) problems.push(`${what}: msg ${n} NLMSG_ERROR too short`);
    off += (len + 3) & ~3; // NLMSG_ALIGN
    n++;
  }
  if (off > buf.length) problems.push(`${what}: alignment padding of last message missing`);
  return problems;
}

let padded = 0;
const counts = new Map();
let bad = 0;
let total = 0;
for (const file of walk(dir)) {
  const rel = relative(dir, file);
  const problems = [];
  let fx;
  try { fx = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { problems.push(`bad JSON: ${e.message}`); }
  if (fx) {
    if (`${fx.name}.json` !== rel) problems.push(`name "${fx.name}" does not match path`);
    for (const k of ['command', 'setup', 'requests', 'replies']) if (!Array.isArray(fx[k])) problems.push(`${k} is not an array`);
    if (typeof fx.exitCode !== 'number') problems.push('exitCode missing');
    if (!!fx.expectFail !== (fx.exitCode !== 0)) problems.push(`exitCode ${fx.exitCode} vs expectFail ${!!fx.expectFail}`);
    (fx.requests ?? []).forEach((h, i) => problems.push(...checkBuffer(h, `requests[${i}]`, true)));
    (fx.replies ?? []).forEach((h, i) => problems.push(...checkBuffer(h, `replies[${i}]`, false)));
    (fx.other ?? []).forEach((e, i) => { if (e.hex) problems.push(...checkBuffer(e.hex, `other[${i}]`, e.dir === 'send')); });
    const flow = fx.flow ?? '';
    if ([...flow].filter((c) => c === 's').length !== fx.requests?.length
        || [...flow].filter((c) => c === 'r').length !== fx.replies?.length) problems.push('flow does not match requests/replies');
  }
  const group = dirname(rel);
  counts.set(group, (counts.get(group) ?? 0) + 1);
  total++;
  if (problems.length) {
    bad++;
    for (const p of problems) console.log(`BAD ${rel}: ${p}`);
  }
}
for (const [group, n] of [...counts].sort()) console.log(`${group.padEnd(10)} ${n}`);
if (padded) console.log(`note: ${padded} requests carry trailing zero bytes beyond the last nlmsg_len (sizeof(req) sends)`);
console.log(`${'total'.padEnd(10)} ${total}${bad ? `, ${bad} with problems` : ', all consistent'}`);
process.exit(bad || total === 0 ? 1 : 0);
