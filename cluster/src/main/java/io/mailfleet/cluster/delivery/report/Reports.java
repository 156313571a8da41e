package io.mailfleet.cluster.delivery.report;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.RetrySchedule;
import io.mailfleet.cluster.queue.TargetOutcome;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.dsn.BouncePolicy;
import io.mailfleet.core.dsn.DsnAction;
import io.mailfleet.core.dsn.DsnRecipient;
import io.mailfleet.core.dsn.DsnReport;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which delivery status notifications a queued message owes its sender, and their content. */
public final class Reports {
    private static final String STATUS = "[245]\\.\\d{1,3}\\.\\d{1,3}";

    private Reports() {
    }

    /** True when a failure or success notice is still owed for some target. */
    public static boolean owed(QueuedMessage m, MessageProgress p) {
        return !owedIndices(m, p).isEmpty();
    }

    /** Targets whose final outcome the sender asked to hear about and has not been told yet. */
    public static List<Integer> owedIndices(QueuedMessage m, MessageProgress p) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.targets().size(); i++) {
            if (p.reported().contains(i)) {
                continue;
            }
            DsnAction action = finalAction(m, p, i);
            if (action != null && wants(m, i, action)) {
                out.add(i);
            }
        }
        return out;
    }

    /** Pending remote targets whose sender wants a delay warning. */
    public static List<Integer> delayIndices(QueuedMessage m) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.targets().size(); i++) {
            if (m.targets().get(i).kind() == DeliveryTarget.Kind.REMOTE
                    && m.status().get(i).state() == TargetStatus.State.PENDING && wants(m, i, DsnAction.DELAYED)) {
                out.add(i);
            }
        }
        return out;
    }

    private static DsnAction finalAction(QueuedMessage m, MessageProgress p, int i) {
        TargetStatus s = m.status().get(i);
        DeliveryTarget t = m.targets().get(i);
        if (s == null) {
            return null;
        }
        if (s.state() == TargetStatus.State.FAILED) {
            return DsnAction.FAILED;
        }
        if (s.state() == TargetStatus.State.DELIVERED) {
            if (t.kind() == DeliveryTarget.Kind.LOCAL) {
                return DsnAction.DELIVERED;
            }
            TargetOutcome o = p.outcome(i);
            return o != null && o.successNotice() ? DsnAction.RELAYED : null;
        }
        return null;
    }

    private static boolean wants(QueuedMessage m, int i, DsnAction action) {
        try {
            return BouncePolicy.shouldReport(m.envelope().sender(), recipientOf(m, m.targets().get(i)), action);
        } catch (IllegalArgumentException malformedNotify) {
            // The front-end validates NOTIFY; should a bad value get through, the RFC 3461 default applies.
            return BouncePolicy.shouldReport(m.envelope().sender(),
                    EnvelopeRecipient.of(m.targets().get(i).recipient()), action);
        }
    }

    /** The envelope recipient a target was expanded from (with its NOTIFY and ORCPT). */
    public static EnvelopeRecipient recipientOf(QueuedMessage m, DeliveryTarget t) {
        for (EnvelopeRecipient r : m.envelope().recipients()) {
            if (r.address().equals(t.recipient())) {
                return r;
            }
        }
        return EnvelopeRecipient.of(t.recipient());
    }

    /** The report on {@code indices} (final outcomes) and {@code delayed} (still pending) targets. */
    public static DsnReport build(QueuedMessage m, MessageProgress p, List<Integer> indices, List<Integer> delayed,
                           RetrySchedule retry, String recipient) {
        List<DsnRecipient> rs = new ArrayList<>();
        for (int i : indices) {
            rs.add(entry(m, p, i, finalAction(m, p, i), null));
        }
        Instant until = m.envelope().receivedAt().plus(retry.lifetime());
        for (int i : delayed) {
            rs.add(entry(m, p, i, DsnAction.DELAYED, until));
        }
        return new DsnReport(m.queueId(), recipient, m.envelope().envId(), m.envelope().receivedAt(),
                BouncePolicy.returnFull(m.envelope().ret()), rs);
    }

    private static DsnRecipient entry(QueuedMessage m, MessageProgress p, int i, DsnAction action, Instant until) {
        DeliveryTarget t = m.targets().get(i);
        TargetStatus s = m.status().get(i);
        TargetOutcome o = p.outcome(i);
        String status = o != null && o.dsnStatus() != null && o.dsnStatus().matches(STATUS) ? o.dsnStatus() : null;
        if (status == null || status.charAt(0) != expectedClass(action)) {
            status = defaultStatus(action, s.reason());
        }
        String mta = o == null || "none".equals(o.remoteMta()) ? null : hostOf(o.remoteMta());
        String diagnostic = action == DsnAction.DELIVERED || action == DsnAction.RELAYED ? null
                : mta != null ? remoteReply(s.reason()) : s.reason();
        EnvelopeRecipient r = recipientOf(m, t);
        String orcpt = r.orcpt();
        if (orcpt == null && !t.address().equalsIgnoreCase(t.recipient())) {
            orcpt = "rfc822;" + t.recipient();
        }
        return new DsnRecipient(t.address(), orcpt, action, status, mta, diagnostic, s.at(), until);
    }

    private static char expectedClass(DsnAction action) {
        return switch (action) {
            case DELIVERED, RELAYED, EXPANDED -> '2';
            case DELAYED -> '4';
            // A failure after retries keeps the last (temporary) status, as Postfix reports expiry.
            case FAILED -> '5';
        };
    }

    private static String defaultStatus(DsnAction action, String reason) {
        return switch (action) {
            case DELIVERED, RELAYED, EXPANDED -> "2.0.0";
            case DELAYED -> "4.0.0";
            case FAILED -> reason != null && reason.startsWith("user unknown") ? "5.1.1"
                    : reason != null && reason.startsWith("mail forwarding loop") ? "5.4.6"
                    : reason != null && reason.startsWith("rejected by the recipient's Sieve filter") ? "5.7.1"
                    : reason != null && reason.startsWith("rejected by inbound checks") ? "5.7.1"
                    : reason != null && reason.startsWith("message expired") ? "4.4.7" : "5.0.0";
        };
    }

    /**
     * The remote's own reply out of the client's diagnostic ({@code host h[ip]:25 said: 550 ... (in reply
     * to RCPT TO command)}): the report names the host in Remote-MTA already.
     */
    public static String remoteReply(String diagnostic) {
        if (diagnostic == null) {
            return null;
        }
        String d = diagnostic;
        int said = d.startsWith("host ") ? d.indexOf(" said: ") : -1;
        if (said > 0) {
            d = d.substring(said + " said: ".length());
        }
        int reply = d.lastIndexOf(" (in reply to ");
        if (reply > 0 && d.endsWith(")")) {
            d = d.substring(0, reply);
        }
        return d;
    }

    /** {@code mx.example[192.0.2.1]:25} to {@code mx.example}. */
    private static String hostOf(String relay) {
        int b = relay.indexOf('[');
        return b > 0 ? relay.substring(0, b) : relay;
    }
}
