#!/usr/bin/env python3
"""Where the CPU samples of a JFR recording go: top self methods and inclusive shares by component.

Usage: jfr-top.py RECORDING.jfr [FROM_SECONDS [TO_SECONDS]]
Reads jdk.ExecutionSample (Java threads only; JIT compiler threads are never sampled) through
`jfr print --json`, only samples between FROM and TO seconds after the recording's first sample
(to leave out start-up). Inclusive share = samples with at least one frame of the component.
Also prints, for the same window, the JIT compiler's busy time (jdk.CompilerStatistics), GC pauses
(jdk.GarbageCollection) and fsyncs (jdk.FileForce, recorded above the profile's threshold).
"""
import collections
import json
import re
import subprocess
import sys
from datetime import datetime

COMPONENTS = [
    ("H2 (journal)", ("org.h2.",)),
    ("Pekko persistence / JDBC journal", ("org.apache.pekko.persistence.",)),
    ("Kryo", ("com.esotericsoftware.",)),
    ("Pekko actors / dispatch", ("org.apache.pekko.actor.", "org.apache.pekko.dispatch.")),
    ("Pekko cluster / sharding / ddata", ("org.apache.pekko.cluster.",)),
    ("Pekko remote / streams", ("org.apache.pekko.remote.", "org.apache.pekko.stream.")),
    ("Netty", ("io.netty.",)),
    ("mailfleet SMTP", ("io.mailfleet.protocols.smtp.",)),
    ("mailfleet IMAP", ("io.mailfleet.protocols.imap.",)),
    ("mailfleet queue", ("io.mailfleet.cluster.queue.",)),
    ("mailfleet mailbox", ("io.mailfleet.cluster.mailbox.",)),
    ("mailfleet blob store", ("io.mailfleet.persistence.blob.",)),
    ("mailfleet journal / serialization", ("io.mailfleet.persistence.journal.", "io.mailfleet.persistence.serialization.")),
    ("mailfleet mailbox model (core)", ("io.mailfleet.core.mailbox.",)),
    ("mailfleet directory/auth", ("io.mailfleet.cluster.directory.", "io.mailfleet.core.directory.", "io.mailfleet.core.auth.")),
    ("Sieve / Jakarta Mail", ("io.mailfleet.core.sieve.", "jakarta.mail.", "org.apache.jsieve.")),
    ("MIME parsing (mailfleet)", ("io.mailfleet.core.mime.",)),
    ("logging", ("ch.qos.logback.", "org.slf4j.")),
    ("JDK file/channel I/O", ("sun.nio.ch.FileChannelImpl", "sun.nio.fs.", "java.io.FileOutputStream")),
    ("JDK socket I/O", ("sun.nio.ch.SocketChannelImpl", "sun.nio.ch.EPoll")),
    ("Scala collections", ("scala.collection.",)),
]


def frames(event):
    return [f"{f['method']['type']['name'].replace('/', '.')}.{f['method']['name']}"
            for f in (event["values"]["stackTrace"] or {}).get("frames", [])]


def load(path, event, depth=96):
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", str(depth), "--events", event, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(raw)["recording"]["events"]


def start(e):
    return datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00"))


def seconds(duration):
    """JFR's JSON durations are ISO 8601: "PT0.012S", "PT1M0.5S", "PT1H2M3S"."""
    match = re.fullmatch(r"PT(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?", duration or "")
    if not match:
        return 0.0
    h, m, sec = (float(g) if g else 0.0 for g in match.groups())
    return 3600 * h + 60 * m + sec


def main():
    path = sys.argv[1]
    since = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    until = float(sys.argv[3]) if len(sys.argv) > 3 else 1e9
    events = load(path, "jdk.ExecutionSample")
    t0 = min(start(e) for e in events)
    inside = lambda e: since <= (start(e) - t0).total_seconds() < until
    selected = [e for e in events if inside(e)]
    total = len(selected)
    window = min(until, max((start(e) - t0).total_seconds() for e in events)) - since
    print(f"{total} samples (of {len(events)}) in {since:.0f}-{since + window:.0f} s after the first sample")
    stats = sorted((start(e), seconds(e["values"].get("totalTimeSpent"))) for e in load(path, "jdk.CompilerStatistics", 1))
    stats = [spent for t, spent in stats if inside({"values": {"startTime": t.isoformat()}})]
    if len(stats) > 1:
        print(f"JIT compiler busy (jdk.CompilerStatistics): {stats[-1] - stats[0]:.1f} s of compiler-thread time"
              f" ({100 * (stats[-1] - stats[0]) / window:.0f} % of one core over the window)")
    for name, event in (("GC pauses", "jdk.GarbageCollection"),
                        ("fsync (FileForce)", "jdk.FileForce")):
        chosen = [e for e in load(path, event, 1) if inside(e)]
        busy = sum(seconds(e["values"].get("duration")) for e in chosen)
        print(f"{name}: {busy:.1f} s in {len(chosen)} events ({100 * busy / window:.0f} % of the window)")
    self_count = collections.Counter()
    inclusive = collections.Counter()
    threads = collections.Counter()
    for e in selected:
        fs = frames(e)
        if fs:
            self_count[fs[0]] += 1
        threads[(e["values"].get("sampledThread") or {}).get("javaName", "?").rstrip("0123456789-")] += 1
        for name, prefixes in COMPONENTS:
            if any(f.startswith(prefixes) for f in fs):
                inclusive[name] += 1
    print("\ninclusive share by component (a sample can count for several):")
    for name, n in inclusive.most_common():
        print(f"  {100 * n / total:5.1f} %  {name}")
    print("\ntop self methods:")
    for name, n in self_count.most_common(25):
        print(f"  {100 * n / total:5.1f} %  {name}")
    print("\nthreads (name without trailing numbers):")
    for name, n in threads.most_common(12):
        print(f"  {100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
