package io.mailfleet.server.config;

import java.time.Duration;
import java.util.List;

/** SMTP listeners and policy; ports already include the port offset. */
public record SmtpSettings(int port,
                           int submissionPort,
                           int submissionsPort,
                           long messageSizeLimit,
                           int maxRecipients,
                           boolean smtputf8,
                           BareNewline bareNewline,
                           boolean spoofProtection,
                           List<String> trustedNetworks,
                           String recipientDelimiter,
                           Duration idleTimeout,
                           int hardErrorLimit,
                           int clientConnectionLimit) {

    public SmtpSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
    }

    /** Handling of a bare LF inside DATA. */
    public enum BareNewline { REJECT, NORMALIZE }
}
