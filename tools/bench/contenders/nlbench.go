// vishvananda/netlink contender for tools/bench: its natural use, one synchronous call per
// route (RouteAdd) and RouteListFiltered for the dump. Prints one JSON line of timings.
//   nlbench install|dump COUNT TABLE
//   nlbench replace COUNT TABLE DEV GW1,GW2,...   for tools/bench/nexthop.mjs: routes
//     10.100.0.0/32 onwards replaced one RouteReplace each, multipath over the gateways. Debian's
//     version (1.1.0.125.gf243826) has no nexthop objects (no RTM_NEWNEXTHOP, no RTA_NH_ID), so
//     this is the only way it can move routes.
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
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: nlbench install|dump COUNT TABLE | replace COUNT TABLE DEV GW1,GW2,...")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[2])
	table, _ := strconv.Atoi(os.Args[3])
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		panic(err)
	}
	var hops []*netlink.NexthopInfo
	if os.Args[1] == "replace" {
		if len(os.Args) < 6 {
			fmt.Fprintln(os.Stderr, "usage: nlbench replace COUNT TABLE DEV GW1,GW2,...")
			os.Exit(2)
		}
		dev, err := netlink.LinkByName(os.Args[4])
		if err != nil {
			panic(err)
		}
		for _, gw := range strings.Split(os.Args[5], ",") {
			hops = append(hops, &netlink.NexthopInfo{LinkIndex: dev.Attrs().Index, Gw: net.ParseIP(gw)})
		}
	}
	u0, s0 := cpu()
	t0 := time.Now()
	count := 0
	switch os.Args[1] {
	case "install":
		for i := 1; i <= n; i++ {
			dst := &net.IPNet{IP: net.IPv4(10, byte(i>>16), byte(i>>8), byte(i)), Mask: net.CIDRMask(32, 32)}
			if err := netlink.RouteAdd(&netlink.Route{LinkIndex: lo.Attrs().Index, Dst: dst, Table: table}); err != nil {
				panic(err)
			}
			count++
		}
	case "replace":
		for r := 0; r < n; r++ {
			dst := &net.IPNet{IP: net.IPv4(10, byte(100+r/65536), byte(r/256%256), byte(r%256)), Mask: net.CIDRMask(32, 32)}
			if err := netlink.RouteReplace(&netlink.Route{Dst: dst, Table: table, MultiPath: hops}); err != nil {
				panic(err)
			}
			count++
		}
	case "dump":
		routes, err := netlink.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: table}, netlink.RT_FILTER_TABLE)
		if err != nil {
			panic(err)
		}
		count = len(routes)
	}
	ms := float64(time.Since(t0).Nanoseconds()) / 1e6
	u1, s1 := cpu()
	out, _ := json.Marshal(map[string]any{"ms": ms, "count": count, "userMs": u1 - u0, "sysMs": s1 - s0})
	fmt.Println(string(out))
}
