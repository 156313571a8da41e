package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.Cidr;

import java.time.Duration;
import java.util.List;

/**
 * One SMTP listener's configuration.
 *
 * @param bindAddress        address to bind ({@code 0.0.0.0}, {@code ::}, {@code 127.0.0.1})
 * @param port               port to bind, 0 for any free port
 * @param mode               MX (25), SUBMISSION (587) or SUBMISSIONS (465)
 * @param hostname           the FQDN used in the banner and Received headers
 * @param maxMessageSize     {@code POSTFIX_MESSAGE_SIZE_LIMIT} in bytes (Postfix default 10240000)
 * @param maxRecipients      recipients per transaction (Postfix {@code smtpd_recipient_limit} 1000)
 * @param hardErrorLimit     errors per session before {@code 421} and disconnect (Postfix 20)
 * @param idleTimeout        idle time before {@code 421 4.4.2} (Postfix 300 s)
 * @param smtpUtf8           advertise and accept SMTPUTF8 (off like docker-mailserver)
 * @param bareNewline        bare LF / CR handling in DATA and BDAT
 * @param spoofProtection    {@code SPOOF_PROTECTION=1}
 * @param trustedNetworks    clients that may relay without AUTH on port 25 ({@code PERMIT_DOCKER}-like)
 * @param recipientDelimiter subaddress delimiters ({@code +})
 * @param postmasterAddress  where {@code postmaster} and {@code root} go ({@code POSTMASTER_ADDRESS})
 * @param quotasEnabled      {@code ENABLE_QUOTAS}: check mailbox usage at RCPT
 * @param defaultQuota       quota in bytes for accounts without their own (0 = unlimited)
 */
public record SmtpSettings(String bindAddress, int port, SmtpMode mode, String hostname, long maxMessageSize,
                           int maxRecipients, int hardErrorLimit, Duration idleTimeout, boolean smtpUtf8,
                           BareNewlinePolicy bareNewline, boolean spoofProtection, List<Cidr> trustedNetworks,
                           String recipientDelimiter, String postmasterAddress, boolean quotasEnabled,
                           long defaultQuota) {

    public static final long DEFAULT_MESSAGE_SIZE = 10_240_000L;

    public SmtpSettings {
        trustedNetworks = List.copyOf(trustedNetworks);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("SMTP port " + port + " is outside 0..65535");
        }
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("the SMTP hostname is empty");
        }
        if (maxMessageSize <= 0) {
            throw new IllegalArgumentException("POSTFIX_MESSAGE_SIZE_LIMIT must be positive, got " + maxMessageSize);
        }
        if (maxRecipients < 1 || hardErrorLimit < 1) {
            throw new IllegalArgumentException("recipient and error limits must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the SMTP idle timeout must be positive");
        }
    }

    /** Postfix-like defaults for a listener. */
    public static SmtpSettings defaults(SmtpMode mode, int port, String hostname, String postmasterAddress) {
        return new SmtpSettings("0.0.0.0", port, mode, hostname, DEFAULT_MESSAGE_SIZE, 1000, 20,
                Duration.ofSeconds(300), false, BareNewlinePolicy.REJECT, false, List.of(), "+",
                postmasterAddress, false, 0);
    }

    public SmtpSettings withBind(String address, int newPort) {
        return new SmtpSettings(address, newPort, mode, hostname, maxMessageSize, maxRecipients, hardErrorLimit,
                idleTimeout, smtpUtf8, bareNewline, spoofProtection, trustedNetworks, recipientDelimiter,
                postmasterAddress, quotasEnabled, defaultQuota);
    }
}
