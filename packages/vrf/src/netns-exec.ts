// `netns exec NAME CMD...`: what `ip netns exec` does before it runs CMD, so that CMD sees the
// namespace as ip's users expect: the calling thread joins the network namespace; a private
// mount namespace gets a /sys of that network namespace (so /sys/class/net lists its devices)
// and the files of /etc/netns/NAME bound over their /etc namesakes (resolv.conf, hosts…).
// Only the calling thread changes; execvp then makes it the whole process.
import { readFileSync, readdirSync, writeSync } from 'node:fs';
import { strerror } from '@vrfctl/netlink';
import {
  CLONE_NEWNET, CLONE_NEWNS, MNT_DETACH, MS_BIND, MS_RDONLY, MS_REC, MS_SLAVE, O_CLOEXEC, O_RDONLY, close, errno, mount, open, setns, umount2, unshare,
} from './libc.js';
import { VrfError } from './names.js';

const NETNS_RUN_DIR = '/run/netns';
const NETNS_ETC_DIR = '/etc/netns';

/** Whether /sys is mounted read-only here (mountinfo's per-mount options), to remount it alike. */
function sysReadOnly(): boolean {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const f = line.split(' ');
    if (f[4] === '/sys') return (f[5] ?? '').split(',').includes('ro');
  }
  return false;
}

/** Bind /etc/netns/NAME/* over /etc/*; as ip, a failed bind is a warning, not a failure. */
function bindEtc(name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(`${NETNS_ETC_DIR}/${name}`);
  } catch {
    return; // no per-namespace /etc: nothing to bind
  }
  for (const entry of entries) {
    const from = `${NETNS_ETC_DIR}/${name}/${entry}`;
    const to = `/etc/${entry}`;
    if (mount(from, to, 'none', MS_BIND, null) !== 0) writeSync(2, `Bind ${from} -> ${to} failed: ${strerror(errno())}\n`);
  }
}

/**
 * Move the calling thread into network namespace NAME (/run/netns/NAME) with its own mount
 * namespace, as `ip netns exec` does. Throws VrfError (errno set) when the namespace cannot be
 * entered; after that point nothing is undone: the caller execs next.
 */
export function enterNetnsForExec(name: string): void {
  const path = `${NETNS_RUN_DIR}/${name}`;
  const fd = open(path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    const e = errno();
    throw new VrfError(`Cannot open network namespace "${name}": ${strerror(e)}`, e);
  }
  try {
    if (setns(fd, CLONE_NEWNET) !== 0) {
      const e = errno();
      throw new VrfError(`setting the network namespace "${name}" failed: ${strerror(e)}`, e);
    }
  } finally {
    close(fd);
  }
  if (unshare(CLONE_NEWNS) !== 0) {
    const e = errno();
    throw new VrfError(`unshare failed: ${strerror(e)}`, e);
  }
  // Our mounts must not propagate back to the host's mount namespace.
  if (mount('', '/', 'none', MS_SLAVE | MS_REC, null) !== 0) {
    const e = errno();
    throw new VrfError(`"mount --make-rslave /" failed: ${strerror(e)}`, e);
  }
  const flags = sysReadOnly() ? MS_RDONLY : 0;
  // sysfs shows the devices of the network namespace of whoever mounts it: mount it afresh.
  if (umount2('/sys', MNT_DETACH) !== 0) {
    const e = errno();
    throw new VrfError(`umount of /sys failed: ${strerror(e)}`, e);
  }
  if (mount(name, '/sys', 'sysfs', flags, null) !== 0) {
    const e = errno();
    throw new VrfError(`mount of /sys failed: ${strerror(e)}`, e);
  }
  bindEtc(name);
}
