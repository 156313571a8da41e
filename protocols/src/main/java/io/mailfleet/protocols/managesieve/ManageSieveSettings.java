package io.mailfleet.protocols.managesieve;

import io.mailfleet.core.sieve.SieveLimits;

import java.time.Duration;

/**
 * One ManageSieve listener's configuration.
 *
 * @param bindAddress    address to bind
 * @param port           port to bind, 0 for any free port (4190 by default)
 * @param hostname       for logs and the greeting
 * @param maxLineLength  longest command line accepted (octets, literals excluded)
 * @param limits         compile limits of uploaded scripts; {@code maxScriptSize} also bounds literals
 * @param idleTimeout    inactivity before the server closes the session
 * @param maxBadCommands erroneous commands tolerated before the server hangs up
 */
public record ManageSieveSettings(String bindAddress, int port, String hostname, int maxLineLength,
                                  SieveLimits limits, Duration idleTimeout, int maxBadCommands) {

    public ManageSieveSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ManageSieve port " + port + " is outside 0..65535");
        }
        if (maxLineLength < 1024) {
            throw new IllegalArgumentException("ManageSieve line limit must be at least 1024 octets, got "
                    + maxLineLength);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the ManageSieve idle timeout must be positive");
        }
        if (maxBadCommands < 1) {
            throw new IllegalArgumentException("ManageSieve bad command limit must be at least 1, got "
                    + maxBadCommands);
        }
    }

    /** Pigeonhole-like defaults: 64 KiB lines, the default Sieve limits, 30 minutes idle, 20 bad commands. */
    public static ManageSieveSettings defaults(int port, String hostname) {
        return new ManageSieveSettings("0.0.0.0", port, hostname, 65536, SieveLimits.defaults(),
                Duration.ofMinutes(30), 20);
    }

    public ManageSieveSettings withBind(String address, int newPort) {
        return new ManageSieveSettings(address, newPort, hostname, maxLineLength, limits, idleTimeout, maxBadCommands);
    }
}
