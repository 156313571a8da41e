package io.mailfleet.protocols.netty;

import java.time.Duration;

/**
 * The connection limits of one node, enforced on every mail listener by {@link ConnectionAdmission}.
 *
 * @param preLoginPerAddress   connections one client address may hold on one listener before it logs in; 0 = no limit
 * @param handshakesPerAddress TLS handshakes one client address may have in progress on the node; 0 = no limit
 * @param maxConnections       connections all mail listeners of the node hold at once; 0 = no limit
 * @param loginTimeout         how long a connection may stay without login on listeners that require one; 0 = none
 */
public record ConnectionLimits(int preLoginPerAddress, int handshakesPerAddress, int maxConnections,
                               Duration loginTimeout) {

    /** Dovecot's login processes serve a few dozen clients each; 20 per address leaves room for NAT. */
    public static final int DEFAULT_PRE_LOGIN_PER_ADDRESS = 20;
    public static final int DEFAULT_HANDSHAKES_PER_ADDRESS = 10;
    /** Dovecot's login timeout. */
    public static final Duration DEFAULT_LOGIN_TIMEOUT = Duration.ofSeconds(60);

    /** No limit at all (tests, embedded listeners). */
    public static final ConnectionLimits NONE = new ConnectionLimits(0, 0, 0, Duration.ZERO);

    public ConnectionLimits {
        if (preLoginPerAddress < 0 || handshakesPerAddress < 0 || maxConnections < 0) {
            throw new IllegalArgumentException("connection limits must be 0 (none) or more");
        }
        if (loginTimeout == null || loginTimeout.isNegative()) {
            throw new IllegalArgumentException("the login timeout must be 0 (none) or positive, got " + loginTimeout);
        }
    }
}
