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
 * @param maxConnectionsPerUserIp POP3 sessions one user may hold from one IP over every node of the
 *                                cluster (Dovecot's {@code mail_max_userip_connections}, default 10)
 */
public record Pop3Settings(String bindAddress, int port, boolean implicitTls, String hostname, int maxLineLength,
                           Duration idleTimeout, int maxBadCommands, int maxConnectionsPerUserIp) {

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
        if (maxConnectionsPerUserIp < 1) {
            throw new IllegalArgumentException("POP3 connections per user and IP must be at least 1, got "
                    + maxConnectionsPerUserIp);
        }
    }

    /**
     * Dovecot-like defaults: 8 KiB lines (long SASL responses), 10 minutes autologout, 20 bad commands,
     * 10 sessions per user and IP.
     */
    public static Pop3Settings defaults(int port, boolean implicitTls, String hostname) {
        return new Pop3Settings("0.0.0.0", port, implicitTls, hostname, 8192, Duration.ofMinutes(10), 20, 10);
    }

    public Pop3Settings withBind(String address, int newPort) {
        return new Pop3Settings(address, newPort, implicitTls, hostname, maxLineLength, idleTimeout, maxBadCommands,
                maxConnectionsPerUserIp);
    }

    /** The per-user-and-IP session limit, cluster-wide (login answers {@code -ERR [IN-USE]} above it). */
    public Pop3Settings withMaxConnectionsPerUserIp(int max) {
        return new Pop3Settings(bindAddress, port, implicitTls, hostname, maxLineLength, idleTimeout, maxBadCommands,
                max);
    }
}
