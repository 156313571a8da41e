package io.mailfleet.core.mtasts;

import java.util.Locale;

/** The {@code mode} of an MTA-STS policy (RFC 8461 §3.2). */
public enum MtaStsMode {
    /** Deliver only to matching MX hosts over TLS with a valid certificate; otherwise defer. */
    ENFORCE,
    /** Deliver as without a policy, but report what would have failed (TLS-RPT). */
    TESTING,
    /** The domain withdrew its policy: deliver as without one. */
    NONE;

    /** The RFC spelling: {@code enforce}, {@code testing}, {@code none}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
