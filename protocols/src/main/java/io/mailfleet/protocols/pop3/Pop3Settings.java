package io.mailfleet.protocols.pop3;

import java.time.Duration;

/**
 * One POP3 listener's configuration.
 *
 * @param bindAddress   address to bind
 * @param port          port to bind, 0 for any free port
 * @param implicitTls   TLS from the first byte (995) instead of STLS (110)
 * @param hostname      shown in the greeting
 * @param maxLineLength longest command line accepted (octets)
 * @param idleTimeout   inactivity before the server closes the session (RFC 1939: at least 10 minutes)
 * @param maxBadCommands erroneous commands tolerated before the server hangs up
 */
public record Pop3Settings(String bindAddress, int port, boolean implicitTls, String hostname, int maxLineLength,
                           Duration idleTimeout, int maxBadCommands) {

    public Pop3Settings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("POP3 port " + port + " is outside 0..65535");
        }
        if (maxLineLength < 512) {
            throw new IllegalArgumentException("POP3 line limit must be at least 512 octets, got " + maxLineLength);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the POP3 idle timeout must be positive");
        }
        if (maxBadCommands < 1) {
            throw new IllegalArgumentException("POP3 bad command limit must be at least 1, got " + maxBadCommands);
        }
    }

    /** Dovecot-like defaults: 8 KiB lines (long SASL responses), 10 minutes autologout, 20 bad commands. */
    public static Pop3Settings defaults(int port, boolean implicitTls, String hostname) {
        return new Pop3Settings("0.0.0.0", port, implicitTls, hostname, 8192, Duration.ofMinutes(10), 20);
    }

    public Pop3Settings withBind(String address, int newPort) {
        return new Pop3Settings(address, newPort, implicitTls, hostname, maxLineLength, idleTimeout, maxBadCommands);
    }
}
