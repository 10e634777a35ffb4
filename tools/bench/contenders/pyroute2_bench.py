"""pyroute2 contender for tools/bench: IPRoute.route('add') per route, route('dump') for the dump.
Prints one JSON line of timings."""
import json
import resource
import sys
import time

from pyroute2 import IPRoute


def cpu():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime * 1e3, ru.ru_stime * 1e3


def main():
    mode, n, table = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    ipr = IPRoute()
    lo = ipr.link_lookup(ifname='lo')[0]
    u0, s0 = cpu()
    t0 = time.perf_counter()
    count = 0
    if mode == 'install':
        for i in range(1, n + 1):
            ipr.route('add', dst=f'10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32', oif=lo, table=table)
            count += 1
    else:
        # Materialise every message (attributes decoded) as a user would.
        for msg in ipr.route('dump', table=table):
            msg.get_attr('RTA_DST')
            count += 1
    ms = (time.perf_counter() - t0) * 1e3
    u1, s1 = cpu()
    print(json.dumps({'ms': ms, 'count': count, 'userMs': u1 - u0, 'sysMs': s1 - s0}))


main()
