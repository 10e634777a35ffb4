// vishvananda/netlink for tools/bench/nexthop.mjs. Debian's version (1.1.0.125.gf243826) has no
// nexthop objects (no RTM_NEWNEXTHOP, no RTA_NH_ID), so it can only move routes the old way: one
// RouteReplace per route, each with its own multipath hops. Its natural use, one synchronous call
// per route. Prints one JSON line of timings.
//   nhbench replace COUNT TABLE DEV GW1,GW2,...   routes 10.100.0.0/32 … as in nexthop.mjs
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vishvananda/netlink"
)

func cpu() (float64, float64) {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()) / 1e6, float64(ru.Stime.Nano()) / 1e6
}

func main() {
	if len(os.Args) < 6 || os.Args[1] != "replace" {
		fmt.Fprintln(os.Stderr, "usage: nhbench replace COUNT TABLE DEV GW1,GW2,...")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[2])
	table, _ := strconv.Atoi(os.Args[3])
	dev, err := netlink.LinkByName(os.Args[4])
	if err != nil {
		panic(err)
	}
	var hops []*netlink.NexthopInfo
	for _, gw := range strings.Split(os.Args[5], ",") {
		hops = append(hops, &netlink.NexthopInfo{LinkIndex: dev.Attrs().Index, Gw: net.ParseIP(gw)})
	}
	u0, s0 := cpu()
	t0 := time.Now()
	for r := 0; r < n; r++ {
		dst := &net.IPNet{IP: net.IPv4(10, byte(100+r/65536), byte(r/256%256), byte(r%256)), Mask: net.CIDRMask(32, 32)}
		if err := netlink.RouteReplace(&netlink.Route{Dst: dst, Table: table, MultiPath: hops}); err != nil {
			panic(err)
		}
	}
	ms := float64(time.Since(t0).Nanoseconds()) / 1e6
	u1, s1 := cpu()
	out, _ := json.Marshal(map[string]any{"ms": ms, "count": n, "userMs": u1 - u0, "sysMs": s1 - s0})
	fmt.Println(string(out))
}
