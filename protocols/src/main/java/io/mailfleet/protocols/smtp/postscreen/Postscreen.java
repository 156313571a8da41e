package io.mailfleet.protocols.smtp.postscreen;

import java.util.Objects;

/** The postscreen test settings of the MX listener and the cache of clients that passed. */
public record Postscreen(PostscreenSettings settings, PassCache passed) {

    /** No postscreen test. */
    public static final Postscreen DISABLED = new Postscreen(PostscreenSettings.DISABLED, new LocalPassCache(
            PostscreenSettings.DISABLED.passTtl(), 1));

    public Postscreen {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(passed, "passed");
    }

    /** The test with a per-node cache of at most 100,000 passed clients. */
    public static Postscreen local(PostscreenSettings settings) {
        return new Postscreen(settings, new LocalPassCache(settings.passTtl(), 100_000));
    }
}
