package io.mailfleet.cluster.delivery;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/** The one log operators grep ({@code io.mailfleet.delivery}): one line per delivery decision, Postfix style. */
public final class DeliveryLog {

    /** The logger itself, for lines that are not per-target decisions. */
    public static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.delivery");

    private DeliveryLog() {
    }

    /** One decision for one target: status is queued, sent, deferred, bounced, discarded or deleted. */
    public static void decision(QueuedMessage m, DeliveryTarget t, String status, String relay, String reason) {
        decision(m, t, status, relay, reason, "");
    }

    /**
     * As above, followed by the message's inbound authentication results ({@code " spf=pass dkim=none
     * dmarc=fail"}, see {@link AuthenticationLogFields}), or nothing when {@code auth} is empty.
     */
    public static void decision(QueuedMessage m, DeliveryTarget t, String status, String relay, String reason,
                                String auth) {
        long millis = Math.max(0, Duration.between(m.envelope().receivedAt(), Instant.now()).toMillis());
        LOG.info("queue={} from=<{}> to=<{}> orig_to=<{}> status={} relay={} delay={}s reason=\"{}\"{}",
                m.queueId(), m.envelope().sender(), t.address(), t.recipient(), status, relay, seconds(millis), reason,
                auth);
    }

    /**
     * The decisions taken at acceptance: bounced and discarded targets, and remote targets handed to
     * outbound, which are {@code queued} (no attempt has failed yet, so nothing was deferred).
     */
    public static void accepted(QueuedMessage m) {
        for (int i = 0; i < m.targets().size(); i++) {
            TargetStatus s = m.status().get(i);
            DeliveryTarget t = m.targets().get(i);
            if (s.state() == TargetStatus.State.FAILED || s.state() == TargetStatus.State.DISCARDED) {
                decision(m, t, s.state() == TargetStatus.State.FAILED ? "bounced" : "discarded", "none", s.reason());
            } else if (t.kind() == DeliveryTarget.Kind.REMOTE) {
                decision(m, t, "queued", "outbound", s.reason());
            }
        }
    }

    /** Milliseconds as seconds with three decimals ("1.005"), without the cost of String.format per line. */
    public static String seconds(long millis) {
        long frac = millis % 1000;
        return (millis / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
    }

    /** A duration as an operator reads it in the log: "5d", "2h" or "300s". */
    public static String describe(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s % 86400 == 0 && s > 0 ? s / 86400 + "d" : s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s + "s";
    }
}
