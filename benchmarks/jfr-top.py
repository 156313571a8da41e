#!/usr/bin/env python3
"""Where the CPU samples of a JFR recording go: top self methods and inclusive shares by component.

Usage: jfr-top.py RECORDING.jfr [SKIP_SECONDS]
Reads jdk.ExecutionSample (Java threads only; JIT compiler threads are never sampled, see
jdk.CompilerStatistics) through `jfr print --json`; SKIP_SECONDS drops samples from the start
of the recording (start-up). Inclusive share = samples with at least one frame of the component.
"""
import collections
import json
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
    return [f"{f['method']['type']['name']}.{f['method']['name']}" for f in (event["values"]["stackTrace"] or {}).get("frames", [])]


def main():
    path = sys.argv[1]
    skip = float(sys.argv[2]) if len(sys.argv) > 2 else 0
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", path],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    times = [datetime.fromisoformat(e["values"]["startTime"].replace("Z", "+00:00")) for e in events]
    t0 = min(times)
    selected = [e for e, t in zip(events, times) if (t - t0).total_seconds() >= skip]
    total = len(selected)
    print(f"{total} samples (of {len(events)}; first {skip:.0f} s skipped)")
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
