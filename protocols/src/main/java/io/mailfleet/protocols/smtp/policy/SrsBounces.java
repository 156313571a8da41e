package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.core.srs.Srs;
import io.mailfleet.core.srs.SrsException;

import java.util.Locale;

/**
 * Recognises bounces coming back to our SRS addresses ({@code SRS0=...@<SRS domain>}), so RCPT accepts
 * them when the address verifies; the queue reverses them to the original sender. With SRS off
 * ({@code srs} null) nothing is recognised.
 */
public record SrsBounces(Srs srs, String domain) {

    public SrsBounces {
        domain = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        if (srs != null && domain.isEmpty()) {
            throw new IllegalArgumentException("SRS is enabled but no SRS domain is set");
        }
    }

    /** SRS off: every address is judged by the directory alone. */
    public static SrsBounces disabled() {
        return new SrsBounces(null, "");
    }

    /** True when {@code rcpt} is an SRS address in our SRS domain. */
    public boolean applies(String rcpt) {
        if (srs == null || !Srs.isSrs(rcpt)) {
            return false;
        }
        int at = rcpt.lastIndexOf('@');
        return at > 0 && rcpt.substring(at + 1).toLowerCase(Locale.ROOT).equals(domain);
    }

    /** The address the SRS address was made from; throws when the hash, age or format is wrong. */
    public String original(String rcpt) throws SrsException {
        return srs.reverse(rcpt);
    }
}
