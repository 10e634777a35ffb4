// `vrfctl netns list|add|del|exec|identify|pids`, as `ip netns …` (names under /run/netns).
import { opendirSync, statSync } from 'node:fs';
import { Errno, NLM_F_REQUEST, NetlinkError, getS32, parseAttributes } from '@vrfctl/netlink';
import { closeNetnsFd, createNetns, deleteNetns, listNetnsNames, netnsPath, openNetnsFd, request, type Plan } from '@vrfctl/socket';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { UsageError } from '../errors.js';
import { withSession } from '../session.js';

/** `netns exec NAME CMD…`: as ip (own mount namespace, /sys and /etc/netns/NAME), then execvp. */
async function exec(args: string[], opts: GlobalOptions): Promise<number> {
  const [name, ...argv] = args;
  if (name === undefined) throw new UsageError('usage: vrfctl netns exec NAME CMD [ARG…]');
  nameArg([name], 'exec');
  if (argv.length === 0 || argv[0] === '') throw new UsageError('No command specified');
  if (opts.dryRun) throw new UsageError('--dry-run does not apply to netns exec');
  const { VrfError, enterNetnsForExec, execCommand } = await import('@vrfctl/vrf');
  try {
    enterNetnsForExec(name);
  } catch (err) {
    // A missing namespace is the user's input at fault (ip: 255, our 1); the rest is the system's.
    if (err instanceof VrfError && err.errno === Errno.ENOENT) throw new UsageError(err.message);
    throw err;
  }
  return execCommand(argv);
}

const RTM_GETNSID = 90;
const NETNSA_NSID = 1;
const NETNSA_FD = 3;

/** The id this netns (the session's) has for the netns at fd, or -1 (RTM_GETNSID, as ip asks). */
function* nsidOf(fd: number): Plan<number> {
  const replies = yield* request({
    type: RTM_GETNSID,
    flags: NLM_F_REQUEST,
    encode: (b) => {
      b.reserve(4);
      b.u32(NETNSA_FD, fd);
    },
  });
  for (const m of replies) for (const a of parseAttributes(m.payload, 4)) if (a.type === NETNSA_NSID) return getS32(a.value);
  return -1;
}

function list(opts: GlobalOptions): number {
  const names = listNetnsNames();
  return withSession(opts, (s) => {
    const rows = names.map((name) => {
      let fd: number;
      try {
        fd = openNetnsFd(name);
      } catch {
        // Deleted since the directory was read: ip lists it without an id too.
        return { name, id: -1 };
      }
      try {
        return { name, id: s.run(nsidOf(fd)) };
      } catch (err) {
        // A file that is not (or no longer) a namespace — `netns add` or `del` of another process
        // in progress: ip says the kernel's reason and lists the name without an id; so do we.
        if (!(err instanceof NetlinkError) || !err.fromKernel) throw err;
        process.stderr.write(`vrfctl: netns list: ${name}: ${err.detail}\n`);
        return { name, id: -1 };
      } finally {
        closeNetnsFd(fd);
      }
    });
    if (opts.json) printJson(rows.map((r) => (r.id >= 0 ? r : { name: r.name })), opts);
    else for (const r of rows) writeLine(r.id >= 0 ? `${r.name} (id: ${r.id})` : r.name);
    return 0;
  });
}

function nameArg(args: string[], verb: string): string {
  if (args.length !== 1) throw new UsageError(`usage: vrfctl netns ${verb} NAME`);
  const name = args[0];
  try {
    netnsPath(name);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (name.startsWith('/')) throw new UsageError(`invalid network namespace name "${name}": a name, not a path`);
  return name;
}

/** The (device, inode) pair that tells network namespaces apart. */
function nsKey(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/** Numeric entries of /proc in directory order, as ip walks them. */
function procPids(): string[] {
  const dir = opendirSync('/proc');
  const pids: string[] = [];
  try {
    for (let e = dir.readSync(); e !== null; e = dir.readSync()) if (/^\d+$/.test(e.name)) pids.push(e.name);
  } finally {
    dir.closeSync();
  }
  return pids;
}

export function run(args: string[], opts: GlobalOptions): number | Promise<number> {
  const [verb = 'list', ...rest] = args;
  switch (verb) {
    case 'list': case 'show': case 'ls': case 'lst':
      if (rest.length > 0) throw new UsageError(`unexpected "${rest[0]}" after netns ${verb}`);
      return list(opts);
    case 'add': {
      const name = nameArg(rest, 'add');
      try {
        createNetns(name);
      } catch (err) {
        if ((err as { errno?: number }).errno === Errno.EEXIST) throw new UsageError(`Cannot create namespace file "/run/netns/${name}": File exists`);
        throw err;
      }
      return 0;
    }
    case 'del': case 'delete': {
      const name = nameArg(rest, 'del');
      try {
        deleteNetns(name);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`Cannot remove namespace file "/run/netns/${name}": No such file or directory`);
        throw err;
      }
      return 0;
    }
    case 'exec': case 'e':
      return exec(rest, opts);
    case 'identify': {
      if (rest.length > 1) throw new UsageError('usage: vrfctl netns identify [PID]');
      const pid = rest[0] ?? 'self';
      if (pid !== 'self' && !/^[1-9]\d{0,9}$/.test(pid)) throw new UsageError(`invalid PID "${pid}"`);
      const key = nsKey(`/proc/${pid}/ns/net`);
      if (key === undefined) throw new UsageError(`Cannot open network namespace: No such process ${pid}`);
      // As ip: the first name (in directory order) of that namespace, or an empty line.
      writeLine(listNetnsNames().find((name) => nsKey(`/run/netns/${name}`) === key) ?? '');
      return 0;
    }
    case 'pids': {
      const name = nameArg(rest, 'pids');
      const key = nsKey(`/run/netns/${name}`);
      if (key === undefined) throw new UsageError(`Cannot open network namespace "${name}": No such file or directory`);
      for (const pid of procPids()) if (nsKey(`/proc/${pid}/ns/net`) === key) writeLine(pid);
      return 0;
    }
    case 'help':
      writeLine('Usage: vrfctl netns list | add NAME | del NAME | exec NAME CMD [ARG…] | identify [PID] | pids NAME');
      return 0;
    default:
      throw new UsageError(`unknown netns command "${verb}": list, add, del, exec, identify or pids`);
  }
}
