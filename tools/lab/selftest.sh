#!/usr/bin/env bash
# Checks that the lab guest can do what the vrfctl tests need.
# Run it inside the lab:  tools/lab/run -- tools/lab/selftest.sh
# Prints one line per check and exits non-zero if any failed.
set -u
fails=0
check() {  # check NAME CMD...: run CMD, report ok/FAIL with its output on failure
  local name=$1 out; shift
  if out=$("$@" 2>&1); then echo "ok   $name"; else echo "FAIL $name: $out"; fails=$((fails + 1)); fi
}
t() { local s=$EPOCHREALTIME; "$@" >/dev/null; echo "time $(awk -v a="$s" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3fs", b-a}') $*"; }

echo "kernel $(uname -r)"
t node -e 'console.log(1)'
t bash -c 'ip link add v type vrf table 10 && ip -j -d link show v && ip link del v'

check "dummy"        ip link add d0 type dummy
check "vlan"         ip link add link d0 name d0.10 type vlan id 10
check "vrf"          ip link add mgmt type vrf table 1000
check "enslave"      ip link set d0 master mgmt
check "ip vrf show"  bash -c 'ip vrf show | grep -q mgmt'
check "vrf json"     bash -c 'ip -j -d link show mgmt | grep -q "\"info_kind\":\"vrf\""'
check "netns+vrf"    bash -c 'ip netns add x && ip -n x link add vr type vrf table 5 && ip netns del x'
check "veth"         ip link add va type veth peer name vb
check "bridge"       ip link add br0 type bridge
check "macvlan"      ip link add mv0 link d0 type macvlan
check "vxlan"        ip link add vx0 type vxlan id 42 dstport 4789 dev d0
check "ip vrf exec"  bash -c 'ip link set mgmt up && ip vrf exec mgmt true'
check "ip vrf identify" bash -c 'ip vrf exec mgmt ip vrf identify | grep -qx mgmt'
check "strace"       bash -c 'strace -f -e trace=socket -o /tmp/st.log ip link show lo >/dev/null && grep -q AF_NETLINK /tmp/st.log'
check "write /tmp"   bash -c 'echo x >/tmp/f && [ "$(cat /tmp/f)" = x ]'
check "cgroup2"      bash -c 'grep -q " /sys/fs/cgroup cgroup2 " /proc/mounts'
check "bpffs"        bash -c 'grep -q " /sys/fs/bpf bpf " /proc/mounts'
echo "$fails failed"
((fails == 0))
