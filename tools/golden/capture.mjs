#!/usr/bin/env node
// Capture the netlink traffic of one iproute2 command into a golden fixture.
//
//   node tools/golden/capture.mjs --name route/add-x [--setup 'ip link add ...']...
//        [--netns NAME] [--out DIR] [--expect-fail] -- ip route add ...
//
// Plain Node ESM without dependencies: it has to run before anything is built.
// The command runs under strace inside a network namespace; only bytes that go
// over AF_NETLINK sockets end up in the fixture.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_OUT = join(ROOT, 'test/golden/fixtures');

// Netlink protocol numbers by the names strace prints for socket()'s 3rd arg.
const NETLINK_PROTOCOLS = {
  NETLINK_ROUTE: 0, NETLINK_UNUSED: 1, NETLINK_USERSOCK: 2, NETLINK_FIREWALL: 3,
  NETLINK_SOCK_DIAG: 4, NETLINK_INET_DIAG: 4, NETLINK_NFLOG: 5, NETLINK_XFRM: 6,
  NETLINK_SELINUX: 7, NETLINK_ISCSI: 8, NETLINK_AUDIT: 9, NETLINK_FIB_LOOKUP: 10,
  NETLINK_CONNECTOR: 11, NETLINK_NETFILTER: 12, NETLINK_IP6_FW: 13,
  NETLINK_DNRTMSG: 14, NETLINK_KOBJECT_UEVENT: 15, NETLINK_GENERIC: 16,
  NETLINK_SCSITRANSPORT: 18, NETLINK_ECRYPTFS: 19, NETLINK_RDMA: 20, NETLINK_CRYPTO: 21,
  NETLINK_SMC: 22,
};

const TRACED = 'socket,close,sendmsg,recvmsg,sendto,recvfrom,write,read';

function run(argv, opts = {}) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw new Error(`cannot run ${argv[0]}: ${r.error.message}`);
  return r;
}

function mustRun(argv) {
  const r = run(argv);
  if (r.status !== 0) {
    throw new Error(`command failed (${r.status}): ${argv.join(' ')}\n${r.stderr}${r.stdout}`);
  }
  return r;
}

// Setup strings from the command line are split on whitespace: no shell, so no
// quoting surprises. Arrays (from capture-all) are used as they are.
export function toArgv(cmd) {
  return Array.isArray(cmd) ? cmd : cmd.trim().split(/\s+/);
}

// ---- strace output parsing ------------------------------------------------

// One dump line: " | 00010  02 10 00 00 ... 00 01  ascii |". The hex field is a
// fixed 48 columns after the offset, so ASCII that looks like hex is never read.
const DUMP_RE = /^ \| ([0-9a-f]{5,}) {2}(.{1,48})/;
const IOV_RE = /^ \* (\d+) bytes in buffer (\d+)$/;
const CALL_RE = /^(\w+)\((.*)\)\s+=\s+(-?\d+)(?:\s.*)?$/;

// Split strace -o output into syscall records, each with its hex dump pieces.
export function parseStrace(text) {
  const calls = [];
  let cur = null;
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (line === '') continue;
    const iov = IOV_RE.exec(line);
    if (iov) {
      if (!cur) throw new Error(`strace line ${lineNo}: iov header without a syscall`);
      cur.iovs.push({ expect: Number(iov[1]), bytes: [] });
      continue;
    }
    const dump = DUMP_RE.exec(line);
    if (dump) {
      if (!cur) throw new Error(`strace line ${lineNo}: dump without a syscall`);
      // write()/read()/sendto() dumps come without a "* N bytes" header.
      if (cur.iovs.length === 0) cur.iovs.push({ expect: null, bytes: [] });
      const piece = cur.iovs[cur.iovs.length - 1];
      if (parseInt(dump[1], 16) !== piece.bytes.length) {
        throw new Error(`strace line ${lineNo}: dump offset ${dump[1]} after ${piece.bytes.length} bytes`);
      }
      for (const h of dump[2].match(/[0-9a-f]{2}/g) ?? []) piece.bytes.push(parseInt(h, 16));
      continue;
    }
    // Everything else should be a syscall line, "PID  name(args) = ret ...".
    const body = line.replace(/^\d+\s+/, '');
    if (/<unfinished \.\.\.>|<\.\.\. \w+ resumed>/.test(body)) {
      // ip is single-threaded; interleaving would make the dumps ambiguous.
      const name = /^(?:<\.\.\. )?(\w+)/.exec(body)?.[1];
      if (TRACED.split(',').includes(name)) {
        throw new Error(`strace line ${lineNo}: interleaved syscall, cannot attribute: ${line.slice(0, 200)}`);
      }
      cur = null;
      continue;
    }
    if (/^(\+\+\+|---)/.test(body)) { cur = null; continue; }
    const m = CALL_RE.exec(body);
    if (!m) throw new Error(`strace line ${lineNo}: cannot parse: ${line.slice(0, 200)}`);
    cur = { name: m[1], args: m[2], ret: Number(m[3]), iovs: [], line: lineNo };
    calls.push(cur);
  }
  return calls;
}

function callData(call) {
  for (const piece of call.iovs) {
    if (piece.expect !== null && piece.expect !== piece.bytes.length) {
      throw new Error(`strace line ${call.line}: iov dump has ${piece.bytes.length} of ${piece.expect} bytes`);
    }
  }
  // sendmsg iovecs are dumped one by one: concatenate them in order.
  const buf = Buffer.from(call.iovs.flatMap((p) => p.bytes));
  // The syscall's return value is the number of bytes moved; the dump must
  // cover exactly that, or we would silently store a truncated message.
  if (buf.length !== call.ret) {
    throw new Error(`strace line ${call.line}: ${call.name} returned ${call.ret} but dump has ${buf.length} bytes (truncated?)`);
  }
  return buf;
}

const SENDS = new Set(['sendmsg', 'sendto', 'write']);
const RECVS = new Set(['recvmsg', 'recvfrom', 'read']);

// Turn syscall records into per-socket netlink traffic.
export function netlinkTraffic(calls) {
  const open = new Map(); // fd -> socket record, only while the fd is open
  const sockets = [];
  const events = [];
  for (const c of calls) {
    const fd = Number(/^(\d+)/.exec(c.args)?.[1]);
    if (c.name === 'socket') {
      if (c.ret < 0 || !c.args.startsWith('AF_NETLINK')) continue;
      const protoName = c.args.split(',').pop().trim();
      const protocol = NETLINK_PROTOCOLS[protoName] ?? Number(protoName);
      const s = { socket: sockets.length, fd: c.ret, protocol, protocolName: protoName };
      sockets.push(s);
      open.set(c.ret, s);
    } else if (c.name === 'close') {
      open.delete(fd); // fds are reused (ld.so opens libraries on fd 3 first)
    } else if (open.has(fd) && c.ret > 0) {
      const dir = SENDS.has(c.name) ? 'send' : RECVS.has(c.name) ? 'recv' : null;
      if (!dir) continue;
      // iproute2 peeks (MSG_PEEK|MSG_TRUNC) to size its buffer and then reads
      // for real; only the real read is traffic.
      if (dir === 'recv' && /\bMSG_PEEK\b/.test(c.args)) continue;
      events.push({ socket: open.get(fd).socket, dir, hex: callData(c).toString('hex') });
    } else if (open.has(fd) && c.ret < 0) {
      events.push({ socket: open.get(fd).socket, dir: 'error', call: c.name });
    }
  }
  return { sockets, events };
}

// Pretty but diff-friendly: one key per line, one argv / buffer per line.
export function formatFixture(fx) {
  const fmt = (v) => {
    if (Array.isArray(v) && v.length && v.every((x) => Array.isArray(x) || typeof x === 'string' || typeof x === 'object')
        && !v.every((x) => typeof x === 'string' && x.length < 40)) {
      return `[\n${v.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
    }
    return JSON.stringify(v);
  };
  const body = Object.entries(fx).map(([k, v]) => `  ${JSON.stringify(k)}: ${fmt(v)}`);
  return `{\n${body.join(',\n')}\n}\n`;
}

// ---- namespace handling ---------------------------------------------------

let nsCounter = 0;

export function toolVersions() {
  return {
    iproute2: mustRun(['ip', '-V']).stdout.trim(),
    kernel: mustRun(['uname', '-r']).stdout.trim(),
  };
}

/**
 * Capture one fixture. Returns the fixture object (and writes it unless
 * opts.write === false).
 */
export function capture({ name, command, setup = [], netns, out = DEFAULT_OUT, expectFail = false, write = true, versions }) {
  if (!name || !command?.length) throw new Error('capture needs a name and a command');
  const own = !netns;
  const ns = netns ?? `vrfctl-golden-${process.pid}-${nsCounter++}`;
  const work = mkdtempSync(join(tmpdir(), 'vrfctl-golden-'));
  const traceFile = join(work, 'trace');
  const setupArgv = setup.map(toArgv);
  try {
    if (own) mustRun(['ip', 'netns', 'add', ns]);
    for (const argv of setupArgv) mustRun(['ip', 'netns', 'exec', ns, ...argv]);
    // strace runs inside the netns so only the command itself is traced, not
    // the `ip netns exec` wrapper. -s is huge so decoded strings are never cut;
    // the dumps are checked against the byte counts anyway.
    const r = run(['ip', 'netns', 'exec', ns, 'strace', '-f', '-qq', '-xx', '-s', '1048576',
      '-e', `trace=${TRACED}`, '-e', 'write=all', '-e', 'read=all',
      '-o', traceFile, '--', ...command]);
    if (/^strace: /m.test(r.stderr)) throw new Error(`strace complained:\n${r.stderr}`);
    const { sockets, events } = netlinkTraffic(parseStrace(readFileSync(traceFile, 'utf8')));
    const failed = r.status !== 0;
    if (failed !== expectFail) {
      throw new Error(`${name}: exit code ${r.status}, expected ${expectFail ? 'failure' : 'success'}\n${r.stderr}`);
    }
    // The main socket is the first NETLINK_ROUTE one; anything else goes to "other".
    const main = sockets.find((s) => s.protocol === 0);
    const mainEvents = events.filter((e) => main && e.socket === main.socket);
    const fixture = {
      name,
      command,
      setup: setupArgv,
      exitCode: r.status,
      stderr: r.stderr,
      stdout: r.stdout,
      ...(versions ?? toolVersions()),
      protocol: main ? main.protocol : null,
      requests: mainEvents.filter((e) => e.dir === 'send').map((e) => e.hex),
      replies: mainEvents.filter((e) => e.dir === 'recv').map((e) => e.hex),
      // Order of sends ('s') and receives ('r') on the main socket, for replay.
      flow: mainEvents.filter((e) => e.dir !== 'error').map((e) => e.dir[0]).join(''),
    };
    // Traffic on other sockets (iproute2 opens a second NETLINK_ROUTE socket
    // to resolve interface names) keeps its place: `after` counts the main
    // socket's sends/receives that came before it.
    let seen = 0;
    const other = [];
    for (const e of events) {
      if (main && e.socket === main.socket) { if (e.dir !== 'error') seen++; }
      else other.push({ ...e, after: seen });
    }
    if (other.length || sockets.length > 1) {
      fixture.sockets = sockets.map(({ socket, protocol, protocolName }) => ({ socket, protocol, protocolName }));
      fixture.other = other;
    }
    if (expectFail) fixture.expectFail = true;
    if (write) {
      const file = join(out, `${name}.json`);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, formatFixture(fixture));
    }
    return fixture;
  } finally {
    if (own) run(['ip', 'netns', 'del', ns]); // always, also on failure
    rmSync(work, { recursive: true, force: true });
  }
}

// ---- CLI ------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { setup: [] };
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--name') opts.name = val();
    else if (a === '--setup') opts.setup.push(val());
    else if (a === '--netns') opts.netns = val();
    else if (a === '--out') opts.out = resolve(val());
    else if (a === '--expect-fail') opts.expectFail = true;
    else if (a === '--stdout') opts.stdoutOnly = true;
    else if (a === '--netns-per-run') { /* the default: every capture gets a fresh netns */ }
    else throw new Error(`unknown option ${a}`);
  }
  opts.command = argv.slice(i + 1);
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (!opts.name || !opts.command.length) throw new Error('missing --name or command');
  } catch (e) {
    console.error(`${e.message}\nusage: capture.mjs --name DIR/NAME [--setup CMD]... [--netns NS] [--out DIR] [--expect-fail] [--stdout] -- CMD...`);
    process.exit(2);
  }
  try {
    // --stdout prints the fixture instead of writing it (for the lab VM, whose
    // filesystem is read-only apart from /tmp).
    const fx = capture({ ...opts, write: !opts.stdoutOnly });
    if (opts.stdoutOnly) process.stdout.write(JSON.stringify(fx) + '\n');
    else console.error(`${fx.name}: exit ${fx.exitCode}, ${fx.requests.length} requests, ${fx.replies.length} replies`);
  } catch (e) {
    console.error(`capture failed: ${e.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
