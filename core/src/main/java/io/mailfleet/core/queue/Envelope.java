package io.mailfleet.core.queue;

import java.time.Instant;
import java.util.List;

/**
 * The SMTP envelope of an accepted message.
 *
 * @param sender            reverse-path without brackets, empty for the null sender {@code <>}
 * @param recipients        forward-paths in RCPT order
 * @param heloName          what the client said in EHLO/HELO
 * @param remoteAddress     the client's IP address
 * @param authenticatedUser the SASL login, or null
 * @param submission        true when received on a submission port (587/465)
 * @param ret               RFC 3461 RET ({@code FULL}/{@code HDRS}) or null
 * @param envId             RFC 3461 ENVID or null
 * @param body              {@code 7BIT}, {@code 8BITMIME} or {@code BINARYMIME}
 * @param smtpUtf8          the client asked for SMTPUTF8
 * @param receivedAt        when the message was accepted
 */
public record Envelope(String sender,
                       List<EnvelopeRecipient> recipients,
                       String heloName,
                       String remoteAddress,
                       String authenticatedUser,
                       boolean submission,
                       String ret,
                       String envId,
                       String body,
                       boolean smtpUtf8,
                       Instant receivedAt) {
    public Envelope {
        recipients = List.copyOf(recipients);
    }
}
