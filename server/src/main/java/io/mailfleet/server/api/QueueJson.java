package io.mailfleet.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetOutcome;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** The JSON shapes of queued messages: a summary for listings, the full detail for one message. */
public final class QueueJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueJson() {
    }

    /** id, sender, recipients, arrival, age, size, status, attempts, next attempt and the last reason. */
    public static ObjectNode summary(QueueEntry e, Instant now) {
        QueuedMessage m = e.message();
        Envelope env = m.envelope();
        MessageProgress p = e.progress();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", m.queueId());
        o.put("sender", env.sender());
        ArrayNode rcpts = o.putArray("recipients");
        env.recipients().forEach(r -> rcpts.add(r.address()));
        o.put("receivedAt", env.receivedAt().toString());
        o.put("ageSeconds", Math.max(0, Duration.between(env.receivedAt(), now).toSeconds()));
        o.put("size", m.blob().size());
        o.put("status", QueueState.of(e).label());
        o.put("attempts", p.attempts());
        putInstant(o, "nextAttempt", p.nextAttempt());
        String reason = null;
        for (int i = 0; i < m.targets().size(); i++) {
            TargetStatus s = m.status().get(i);
            if (s != null && s.state() == TargetStatus.State.PENDING) {
                reason = s.reason();
                if (p.outcome(i) != null) {
                    break;
                }
            }
        }
        if (reason == null) {
            o.putNull("reason");
        } else {
            o.put("reason", reason);
        }
        return o;
    }

    /** The summary plus the envelope details and one entry per delivery target. */
    public static ObjectNode detail(QueueEntry e, Instant now) {
        QueuedMessage m = e.message();
        Envelope env = m.envelope();
        MessageProgress p = e.progress();
        ObjectNode o = summary(e, now);
        ObjectNode envelope = o.putObject("envelope");
        envelope.put("sender", env.sender());
        ArrayNode rcpts = envelope.putArray("recipients");
        for (EnvelopeRecipient r : env.recipients()) {
            ObjectNode rn = rcpts.addObject().put("address", r.address());
            putText(rn, "notify", r.dsnNotify());
            putText(rn, "orcpt", r.orcpt());
        }
        putText(envelope, "helo", env.heloName());
        putText(envelope, "clientAddress", env.remoteAddress());
        putText(envelope, "authenticatedUser", env.authenticatedUser());
        envelope.put("submission", env.submission());
        putText(envelope, "ret", env.ret());
        putText(envelope, "envId", env.envId());
        putText(envelope, "body", env.body());
        envelope.put("smtpUtf8", env.smtpUtf8());
        o.put("delayWarningSent", p.delayWarned());
        ArrayNode targets = o.putArray("targets");
        for (int i = 0; i < m.targets().size(); i++) {
            DeliveryTarget t = m.targets().get(i);
            TargetStatus s = m.status().get(i);
            TargetOutcome last = p.outcome(i);
            ObjectNode tn = targets.addObject();
            tn.put("recipient", t.recipient());
            tn.put("address", t.address());
            tn.put("kind", t.kind().name().toLowerCase(Locale.ROOT));
            tn.put("state", s == null ? "pending" : s.state().name().toLowerCase(Locale.ROOT));
            putText(tn, "reason", s == null ? null : s.reason());
            putInstant(tn, "since", s == null ? null : s.at());
            if (last == null) {
                tn.putNull("lastAttempt");
            } else {
                ObjectNode ln = tn.putObject("lastAttempt");
                ln.put("remoteMta", last.remoteMta());
                ln.put("dsnStatus", last.dsnStatus());
                ln.put("reply", last.status().reason());
                putInstant(ln, "at", last.status().at());
            }
            tn.put("notified", p.reported().contains(i));
        }
        return o;
    }

    private static void putText(ObjectNode o, String field, String value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }

    private static void putInstant(ObjectNode o, String field, Instant value) {
        putText(o, field, value == null ? null : value.toString());
    }
}
