#!/usr/bin/env python3
"""Median delivered/s of each server per phase over the rounds of a hot-mailbox run, and the ratio.

Usage: hot-mailbox-summary.py RESULTS
RESULTS: hot-mailbox.sh's rows (server round phase messages accepted/s delivered/s seconds CPU load).
Prints nothing for a phase that lacks one of the two servers.
"""
import statistics
import sys
from collections import defaultdict


def main():
    rates = defaultdict(list)
    cpu = defaultdict(list)
    with open(sys.argv[1]) as f:
        for line in f:
            fields = line.split()
            if len(fields) < 8:
                continue
            server, phase = fields[0], fields[2]
            rates[(server, phase)].append(float(fields[5]))
            cpu[(server, phase)].append(float(fields[7]))
    for phase in ("fresh", "warm"):
        peer, ours = rates.get(("postfix-dovecot", phase)), rates.get(("mailfleet", phase))
        if not peer or not ours:
            continue
        p, m = statistics.median(peer), statistics.median(ours)
        print(f"{phase:5s} median of {len(ours)}: Postfix -> Dovecot {p:.0f} msg/s "
              f"({statistics.median(cpu[('postfix-dovecot', phase)]):.2f} ms CPU/msg), "
              f"Mailfleet {m:.0f} msg/s ({statistics.median(cpu[('mailfleet', phase)]):.2f} ms CPU/msg): "
              f"{m / p:.2f}x  (per round: {', '.join(f'{b / a:.2f}x' for a, b in zip(peer, ours))})")


if __name__ == "__main__":
    main()
