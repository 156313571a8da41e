package io.mailfleet.protocols.outbound;

import java.time.Duration;
import java.util.List;

/** Per-stage timeouts of the SMTP client, with Postfix's smtp(8) defaults. */
public record OutboundTimeouts(Duration connect, Duration greeting, Duration helo, Duration mail, Duration rcpt,
                               Duration dataInit, Duration dataBlock, Duration dataDone, Duration rset) {

    public OutboundTimeouts {
        for (Duration d : List.of(connect, greeting, helo, mail, rcpt, dataInit, dataBlock, dataDone, rset)) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("SMTP client timeouts must be positive, got " + d);
            }
        }
    }

    /** smtp_connect_timeout 30s, helo 300s, mail 300s, rcpt 300s, data_init 120s, data_xfer 180s, data_done 600s, rset 20s. */
    public static OutboundTimeouts postfixDefaults() {
        return new OutboundTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(300), Duration.ofSeconds(300),
                Duration.ofSeconds(300), Duration.ofSeconds(300), Duration.ofSeconds(120), Duration.ofSeconds(180),
                Duration.ofSeconds(600), Duration.ofSeconds(20));
    }

    /** The same timeout for every stage. */
    public static OutboundTimeouts uniform(Duration d) {
        return new OutboundTimeouts(d, d, d, d, d, d, d, d, d);
    }
}
