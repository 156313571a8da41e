package io.mailfleet.core.auth.spf;

import java.util.Objects;

/**
 * The SPF check of one transaction as later stages need it (Authentication-Results, DMARC, spam scoring).
 *
 * @param result       the RFC 7208 result
 * @param identity     the checked identity: the MAIL FROM address, or the HELO name for the null sender
 * @param heloIdentity whether the HELO identity was checked (smtp.helo) rather than MAIL FROM (smtp.mailfrom)
 */
public record SpfOutcome(SpfResult result, String identity, boolean heloIdentity) {

    public SpfOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(identity, "identity");
    }
}
