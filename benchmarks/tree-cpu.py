#!/usr/bin/env python3
"""CPU seconds used so far by process trees: tree-cpu.py PID...

For each root: its user+system time, the time of the children it has already reaped (cutime,
cstime: Postfix's smtpd/cleanup/lmtp and Dovecot's lmtp processes come and go), and the time of
every live descendant. The difference of two readings is the CPU a server used in between, which
stays comparable when other work shares the machine (unlike a rate).
"""
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # after the command name: state ppid ... utime(12) stime(13) cutime(14) cstime(15), counted from state = 1
    return int(fields[1]), [int(x) for x in fields[11:15]]


def main():
    roots = {int(p) for p in sys.argv[1:]}
    parents, times = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)], times[int(entry)] = stat(int(entry))
            except (FileNotFoundError, ProcessLookupError):
                pass
    total = 0
    for pid, (utime, stime, cutime, cstime) in times.items():
        ancestor = pid
        while ancestor not in roots and ancestor > 1:
            ancestor = parents.get(ancestor, 1)
        if ancestor in roots:
            total += utime + stime + (cutime + cstime if pid in roots else 0)
    print(f"{total / TICK:.2f}")


if __name__ == "__main__":
    main()
