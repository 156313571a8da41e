package io.mailfleet.core.auth.spf;

import java.util.Locale;

/** The seven results of an SPF check (RFC 7208 section 2.6). */
public enum SpfResult {
    NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

    /** The RFC's lower-case name, as used in Received-SPF and Authentication-Results. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
