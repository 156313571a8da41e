package io.mailfleet.server.api;

import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueueEntry;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;

import java.util.Locale;

/**
 * Where a queued message stands as operators see it: {@code deferred} (a target waits after a failed
 * attempt), {@code active} (a target waits for its first attempt or its mailbox) or {@code reporting}
 * (every target is settled; the notice to the sender is still being queued).
 */
public enum QueueState {
    DEFERRED, ACTIVE, REPORTING;

    /** The state of one entry. */
    public static QueueState of(QueueEntry e) {
        QueuedMessage m = e.message();
        MessageProgress p = e.progress();
        boolean waiting = false;
        for (int i = 0; i < m.targets().size(); i++) {
            TargetStatus s = m.status().get(i);
            if (s == null || s.state() == TargetStatus.State.PENDING) {
                waiting = true;
                if (p.outcome(i) != null) {
                    return DEFERRED;
                }
            }
        }
        return waiting ? ACTIVE : REPORTING;
    }

    /** The lower-case name used in JSON and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label; throws IllegalArgumentException listing the allowed values. */
    public static QueueState parse(String label) {
        for (QueueState s : values()) {
            if (s.label().equalsIgnoreCase(label.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown queue status '" + label + "': use deferred, active or reporting");
    }
}
