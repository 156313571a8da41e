package io.mailfleet.protocols.outbound;

import io.mailfleet.core.mtasts.MtaStsMode;

import java.util.Objects;

/**
 * The MTA-STS policy a delivery runs under: {@code enforce} has already filtered the hosts and raised
 * the TLS level to {@code verify}; {@code testing} keeps the level but has every certificate checked
 * and reported, without refusing it.
 *
 * @param mode the policy mode (never {@code none}: then there is no directive)
 * @param id   the policy id from the {@code _mta-sts} TXT record, for the log
 */
public record StsDirective(MtaStsMode mode, String id) {
    public StsDirective {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(id, "id");
    }

    /** {@code sts=enforce id=...} for the session log line. */
    @Override
    public String toString() {
        return "sts=" + mode.text() + " id=" + id;
    }
}
