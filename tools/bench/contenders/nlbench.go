// vishvananda/netlink contender for tools/bench: its natural use, one synchronous call per
// route (RouteAdd) and RouteListFiltered for the dump. Prints one JSON line of timings.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
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
		fmt.Fprintln(os.Stderr, "usage: nlbench install|dump COUNT TABLE")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[2])
	table, _ := strconv.Atoi(os.Args[3])
	lo, err := netlink.LinkByName("lo")
	if err != nil {
		panic(err)
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
