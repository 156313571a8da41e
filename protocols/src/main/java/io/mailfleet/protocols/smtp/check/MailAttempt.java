package io.mailfleet.protocols.smtp.check;

import io.mailfleet.protocols.smtp.command.MailRequest;

/**
 * A MAIL FROM that passed syntax, address and sender policy; a refusal leaves the session without a
 * transaction.
 */
public record MailAttempt(SmtpPeer client, MailRequest request) {
}
