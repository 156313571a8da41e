package io.mailfleet.core.dsn;

import java.time.Instant;
import java.util.List;

/**
 * Everything a delivery status notification says about one message.
 *
 * @param queueId        the queue id of the original message
 * @param envelopeSender the original MAIL FROM, to whom the report goes
 * @param envId          RFC 3461 ENVID or null
 * @param arrivalDate    when the original was accepted
 * @param returnFull     RET=FULL: return the whole message, else only its header section
 * @param recipients     the recipients reported on (at least one)
 */
public record DsnReport(String queueId, String envelopeSender, String envId, Instant arrivalDate, boolean returnFull,
                        List<DsnRecipient> recipients) {
    /** Which of the three report types this is; it chooses subject and text. */
    public enum Kind { FAILURE, DELAY, SUCCESS }

    public DsnReport {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a DSN needs at least one recipient");
        }
        if (arrivalDate == null) {
            throw new IllegalArgumentException("a DSN needs the arrival date of the original");
        }
    }

    /** FAILURE when any recipient failed, else DELAY when any was delayed, else SUCCESS. */
    public Kind kind() {
        if (recipients.stream().anyMatch(r -> r.action() == DsnAction.FAILED)) {
            return Kind.FAILURE;
        }
        if (recipients.stream().anyMatch(r -> r.action() == DsnAction.DELAYED)) {
            return Kind.DELAY;
        }
        return Kind.SUCCESS;
    }
}
