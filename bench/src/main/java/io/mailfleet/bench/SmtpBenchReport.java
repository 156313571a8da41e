package io.mailfleet.bench;

import java.util.Locale;
import java.util.Map;

/** Renders a {@link SmtpBenchResult} as a readable table and a one-line summary. */
public final class SmtpBenchReport {

    private SmtpBenchReport() {
    }

    public static String table(SmtpBenchResult r) {
        StringBuilder b = new StringBuilder();
        SmtpBenchOptions o = r.options();
        b.append("\nMailfleet SMTP benchmark\n");
        b.append("------------------------------------------------------------------\n");
        row(b, "target", r.target());
        row(b, "load", o.connections() + " connections, " + o.messages() + " messages, " + r.messageSize()
                + " octets each, " + o.recipients() + " recipient(s) per message, spread over " + o.mailboxes() + " mailboxes"
                + (o.warmup() > 0 ? ", after " + o.warmup() + " warm-up messages" : ""));
        row(b, "messages accepted", Long.toString(r.accepted()));
        row(b, "errors", Long.toString(r.errors()));
        if (r.unsent() > 0) {
            row(b, "not sent", r.unsent() + " (connections gave up)");
        }
        row(b, "elapsed (acceptance)", seconds(r.acceptNanos()));
        row(b, "accepted", fmt("%.0f msg/s  (%.1f MB/s)", r.acceptedPerSecond(),
                r.acceptNanos() <= 0 ? 0.0 : r.bytes() * 1e9 / r.acceptNanos() / 1_000_000));
        if (r.deliveryMeasured()) {
            row(b, "elapsed (to last delivery)", seconds(r.deliveredNanos()));
            row(b, "delivered into mailbox", fmt("%.0f msg/s  (%d of %d accepted%s)", r.deliveredPerSecond(),
                    r.delivered(), r.accepted(), r.deliveryComplete() ? "" : ", INCOMPLETE"));
        } else {
            row(b, "delivered into mailbox", "not measured (external target)");
        }
        Latencies.Summary l = r.latency();
        row(b, "acceptance latency", fmt("p50 %s  p90 %s  p99 %s  max %s  (mean %s, end of DATA to 250)",
                ms(l.p50()), ms(l.p90()), ms(l.p99()), ms(l.max()), ms(l.mean())));
        if (r.cpu().cpuNanos() >= 0) {
            long wall = Math.max(r.acceptNanos(), r.deliveredNanos());
            row(b, "process CPU", fmt("%.2f ms per message (load client%s; %.0f %% of %d cores busy), load average %.1f",
                    r.cpu().millisPer(r.accepted()), r.deliveryMeasured() ? " and node" : " only",
                    wall <= 0 ? 0.0 : 100.0 * r.cpu().cpuNanos() / wall / r.machine().cores(), r.machine().cores(),
                    r.cpu().loadAverage()));
            String jit = r.cpu().jitReport("--warmup");
            if (jit != null) {
                row(b, "JIT compiler", jit);
            }
        }
        MachineInfo m = r.machine();
        row(b, "machine", m.cores() + " cores, " + m.cpu());
        row(b, "os", m.os());
        row(b, "java", m.javaVersion());
        row(b, "heap max", (m.heapMaxBytes() / (1024 * 1024)) + " MiB" + (m.jvmArguments().isBlank() ? ""
                : "  (JVM args: " + m.jvmArguments() + ")"));
        if (!r.errorSamples().isEmpty()) {
            b.append("errors by reply:\n");
            for (Map.Entry<String, Integer> e : r.errorSamples().entrySet()) {
                b.append(fmt("  %6d  %s%n", e.getValue(), e.getKey()));
            }
        }
        b.append("------------------------------------------------------------------\n");
        return b.toString();
    }

    public static String summary(SmtpBenchResult r) {
        Latencies.Summary l = r.latency();
        String delivered = r.deliveryMeasured()
                ? fmt("delivered %.0f msg/s%s", r.deliveredPerSecond(), r.deliveryComplete() ? "" : " (incomplete)")
                : "delivered n/a";
        return fmt("bench smtp: %d/%d accepted, %d errors, accepted %.0f msg/s, %s, latency p50 %s p99 %s, "
                        + "%d cores, heap %d MiB", r.accepted(), r.options().messages(), r.errors(),
                r.acceptedPerSecond(), delivered, ms(l.p50()), ms(l.p99()), r.machine().cores(),
                r.machine().heapMaxBytes() / (1024 * 1024));
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append(fmt("%-28s %s%n", name, value));
    }

    private static String seconds(long nanos) {
        return fmt("%.2f s", nanos / 1e9);
    }

    private static String ms(long nanos) {
        return fmt("%.1f ms", nanos / 1e6);
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }
}
