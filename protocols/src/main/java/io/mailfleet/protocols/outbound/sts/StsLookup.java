package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;

import java.util.Optional;

/**
 * What MTA-STS says about one recipient domain now.
 *
 * @param policy  the policy in force (fresh or cached), or empty when the domain has none
 * @param failure a fetch failure to report (TLS-RPT), also when a cached policy stays in force
 */
public record StsLookup(Optional<CachedPolicy> policy, Optional<PolicyFetchException> failure) {

    public static final StsLookup NONE = new StsLookup(Optional.empty(), Optional.empty());

    /** The mode in force: {@code none} without a policy. */
    public MtaStsMode mode() {
        return policy.map(p -> p.policy().mode()).orElse(MtaStsMode.NONE);
    }
}
