package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;

/**
 * The result for one recipient.
 *
 * @param status     RFC 3463 enhanced status (the remote's when it gave one), e.g. {@code 5.1.1}
 * @param diagnostic the remote reply ({@code 550 5.1.1 no such user}) or a local explanation,
 *                   prefixed with the host that gave it; fit for a DSN Diagnostic-Code
 */
public record RecipientResult(EnvelopeRecipient recipient, Outcome outcome, String status, String diagnostic) {
}
