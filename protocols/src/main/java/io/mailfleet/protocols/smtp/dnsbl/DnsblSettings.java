package io.mailfleet.protocols.smtp.dnsbl;

import io.mailfleet.core.dnsbl.DnsblSites;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;

import java.time.Duration;
import java.util.Objects;

/**
 * The DNSBL test of port 25.
 *
 * @param sites     the weighted lists ({@code postscreen_dnsbl_sites})
 * @param threshold the score at which a client is blocked ({@code postscreen_dnsbl_threshold})
 * @param action    what a blocked client gets ({@code postscreen_dnsbl_action}, {@code POSTSCREEN_ACTION})
 * @param passTtl   how long a client no block list weighs against skips the lookups, cluster-wide
 */
public record DnsblSettings(DnsblSites sites, int threshold, PostscreenAction action, Duration passTtl) {

    public DnsblSettings {
        Objects.requireNonNull(sites, "sites");
        Objects.requireNonNull(action, "action");
        if (passTtl.isNegative()) {
            throw new IllegalArgumentException("the DNSBL pass TTL must not be negative");
        }
    }
}
