package io.mailfleet.core.dsn;

import java.util.Locale;

/** RFC 3464 §2.3.3 Action values. */
public enum DsnAction {
    FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED;

    /** The field value, lower case. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
