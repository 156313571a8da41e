package io.mailfleet.protocols.imap;

import java.time.Duration;

/**
 * One IMAP listener's configuration.
 *
 * @param bindAddress          address to bind
 * @param port                 port to bind, 0 for any free port
 * @param implicitTls          TLS from the first byte (993) instead of STARTTLS (143)
 * @param hostname             shown in the greeting
 * @param plaintextOnLoopback  allow LOGIN/AUTHENTICATE without TLS from loopback clients
 * @param maxLineLength        longest command line accepted (octets, literals excluded)
 * @param appendLimit          largest message APPEND accepts (APPENDLIMIT)
 * @param maxLiteral           largest literal in commands other than APPEND
 * @param idleTimeout          inactivity before the server logs the client out (RFC 3501: at least 30 min)
 * @param delimiter            hierarchy delimiter, {@code /} or {@code .}
 * @param quotasEnabled        {@code ENABLE_QUOTAS}: enforce the account quota on APPEND and COPY
 * @param defaultQuota         quota in bytes for accounts without their own (0 = unlimited)
 * @param maxConnectionsPerUserIp IMAP sessions one user may hold from one IP, counted over every node
 *                                of the cluster by the session registry (Dovecot's
 *                                {@code mail_max_userip_connections}, default 10)
 * @param authCacheTtl         how long a successful login is remembered (salted hash of the credentials,
 *                             never failures); zero disables the cache
 * @param utf8Accept           advertise {@code UTF8=ACCEPT} (RFC 6855): after {@code ENABLE UTF8=ACCEPT} mailbox
 *                             names travel as UTF-8 instead of modified UTF-7
 */
public record ImapSettings(String bindAddress, int port, boolean implicitTls, String hostname,
                           boolean plaintextOnLoopback, int maxLineLength, long appendLimit, int maxLiteral,
                           Duration idleTimeout, char delimiter, boolean quotasEnabled, long defaultQuota,
                           int maxConnectionsPerUserIp, Duration authCacheTtl, boolean utf8Accept) {

    public ImapSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("IMAP port " + port + " is outside 0..65535");
        }
        if (delimiter != '/' && delimiter != '.') {
            throw new IllegalArgumentException("IMAP hierarchy delimiter must be / or ., got " + delimiter);
        }
        if (maxLineLength < 1024 || appendLimit < 1 || maxLiteral < 1024 || maxConnectionsPerUserIp < 1) {
            throw new IllegalArgumentException("IMAP limits too small: line " + maxLineLength + ", append "
                    + appendLimit + ", literal " + maxLiteral + ", connections " + maxConnectionsPerUserIp);
        }
        if (authCacheTtl.isNegative() || authCacheTtl.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("the IMAP auth cache TTL must be between 0 and 5 minutes, got "
                    + authCacheTtl);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the IMAP idle timeout must be positive");
        }
    }

    /** Dovecot-like defaults: 64 KiB lines, 50 MB messages, 30 minutes autologout, {@code /} delimiter,
     * 60 s login cache, {@code UTF8=ACCEPT} not advertised (Dovecot's {@code mail_utf8_extensions = no}). */
    public static ImapSettings defaults(int port, boolean implicitTls, String hostname) {
        return new ImapSettings("0.0.0.0", port, implicitTls, hostname, false, 65536, 50L * 1024 * 1024, 65536,
                Duration.ofMinutes(30), '/', false, 0, 10, Duration.ofSeconds(60), false);
    }

    public ImapSettings withBind(String address, int newPort) {
        return new ImapSettings(address, newPort, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota,
                maxConnectionsPerUserIp, authCacheTtl, utf8Accept);
    }

    public ImapSettings withPlaintextOnLoopback(boolean allow) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, allow, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota,
                maxConnectionsPerUserIp, authCacheTtl, utf8Accept);
    }

    public ImapSettings withQuotas(boolean enabled, long defaultBytes) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, enabled, defaultBytes,
                maxConnectionsPerUserIp, authCacheTtl, utf8Accept);
    }

    public ImapSettings withAppendLimit(long bytes) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                bytes, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota,
                maxConnectionsPerUserIp, authCacheTtl, utf8Accept);
    }

    /** How long successful logins are remembered; {@link Duration#ZERO} turns the cache off. */
    public ImapSettings withAuthCacheTtl(Duration ttl) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota, maxConnectionsPerUserIp,
                ttl, utf8Accept);
    }

    /** Whether {@code UTF8=ACCEPT} is advertised and can be enabled (off by default). */
    public ImapSettings withUtf8Accept(boolean advertise) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota, maxConnectionsPerUserIp,
                authCacheTtl, advertise);
    }

    /** The inactivity timeout: time without a complete line, also the limit of {@code IDLE} (30 minutes by default). */
    public ImapSettings withIdleTimeout(Duration timeout) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, timeout, delimiter, quotasEnabled, defaultQuota, maxConnectionsPerUserIp,
                authCacheTtl, utf8Accept);
    }

    /** The per-user-and-IP session limit, cluster-wide (LOGIN answers {@code NO [LIMIT]} above it). */
    public ImapSettings withMaxConnectionsPerUserIp(int max) {
        return new ImapSettings(bindAddress, port, implicitTls, hostname, plaintextOnLoopback, maxLineLength,
                appendLimit, maxLiteral, idleTimeout, delimiter, quotasEnabled, defaultQuota, max,
                authCacheTtl, utf8Accept);
    }
}
