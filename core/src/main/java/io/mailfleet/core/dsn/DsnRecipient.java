package io.mailfleet.core.dsn;

import java.time.Instant;

/**
 * The per-recipient part of a delivery status notification.
 *
 * @param finalRecipient the address the report is about
 * @param orcpt          the RFC 3461 ORCPT parameter as received ({@code rfc822;xtext}) or null
 * @param action         what happened
 * @param status         RFC 3463 status code {@code x.y.z}
 * @param remoteMta      host name of the remote MTA or null
 * @param diagnostic     the remote SMTP reply (may span lines) or a local explanation, or null
 * @param lastAttempt    time of the last delivery attempt or null
 * @param willRetryUntil for delays: when the message expires, else null
 */
public record DsnRecipient(String finalRecipient, String orcpt, DsnAction action, String status, String remoteMta,
                           String diagnostic, Instant lastAttempt, Instant willRetryUntil) {
    public DsnRecipient {
        if (finalRecipient == null || finalRecipient.isBlank()) {
            throw new IllegalArgumentException("DSN recipient needs an address");
        }
        if (action == null) {
            throw new IllegalArgumentException("DSN recipient " + finalRecipient + " needs an action");
        }
        if (status == null || !status.matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("DSN status must be class.subject.detail (e.g. 5.1.1), got " + status);
        }
    }
}
