package io.mailfleet.core.auth.results;

import io.mailfleet.core.dkim.ArcResult;

/**
 * The ARC part of a message's authentication results (RFC 8617 §7.1 / §10.1: {@code arc=} with
 * {@code header.oldest-pass} and {@code smtp.remote-ip}).
 *
 * @param result          the chain validation
 * @param remoteIp        the address of the client that handed the message over, or null
 * @param overridingSealer the trusted sealer whose chain overrode a DMARC failure, or null when none did
 */
public record ArcOutcome(ArcResult result, String remoteIp, String overridingSealer) {

    /** This outcome noting that {@code sealer}'s chain overrode the DMARC failure. */
    public ArcOutcome overriddenBy(String sealer) {
        return new ArcOutcome(result, remoteIp, sealer);
    }
}
