package io.mailfleet.core.ban;

import java.time.Instant;

/**
 * An active ban: {@code network} (canonical {@link IpNetwork} text) is banned in {@code jail}
 * from {@code since} until {@code until}; {@code reason} is the last failure or "manual".
 */
public record Ban(String network, Jail jail, Instant since, Instant until, String reason) {

    public boolean activeAt(Instant now) {
        return until.isAfter(now);
    }
}
