package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;

/** STARTTLS (RFC 3207): refused without a certificate, twice, or with an argument. */
final class StartTlsHandler {

    private final SmtpContext s;

    StartTlsHandler(SmtpContext s) {
        this.s = s;
    }

    void startTls(String arg) {
        if (!SessionRules.tlsAvailable(s)) {
            s.reply(new SmtpReply(502, "5.5.1", "Error: STARTTLS is not available: no certificate is configured"));
            return;
        }
        if (s.client().tls()) {
            s.reply(new SmtpReply(554, "5.5.1", "Error: TLS already active"));
            return;
        }
        if (!arg.isEmpty()) {
            s.reply(new SmtpReply(501, "5.5.4", "Syntax: STARTTLS"));
            return;
        }
        s.startTls();
    }
}
