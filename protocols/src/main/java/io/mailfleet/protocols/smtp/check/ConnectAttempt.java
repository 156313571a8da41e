package io.mailfleet.protocols.smtp.check;

/** A new connection, before the banner; a refusal closes it with the reply. */
public record ConnectAttempt(SmtpPeer client) {
}
