package io.mailfleet.core.mtasts;

import java.util.Objects;

/**
 * A fetched policy as the cluster caches it.
 *
 * @param domain          the policy domain (the recipient domain), lower case
 * @param id              the TXT record's id when the policy was fetched; a different id means "fetch again"
 * @param policy          the parsed policy
 * @param fetchedAtMillis when it was fetched
 */
public record CachedPolicy(String domain, String id, MtaStsPolicy policy, long fetchedAtMillis) {

    public CachedPolicy {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(policy, "policy");
    }

    /** When the policy stops applying: {@code max_age} after the fetch. */
    public long expiresAtMillis() {
        return fetchedAtMillis + policy.maxAgeSeconds() * 1000;
    }

    /** True while the policy applies at {@code nowMillis}. */
    public boolean validAt(long nowMillis) {
        return nowMillis < expiresAtMillis();
    }
}
