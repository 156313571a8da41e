package io.mailfleet.protocols.smtp.postscreen;

import java.util.Objects;

/**
 * The postscreen test settings of the MX listener, the cache of clients that passed, the counter of
 * the clients the pregreet test refused, and what starts when a client begins its greet wait (the DNSBL
 * look-ups, so their answers are cached when the connect-stage check asks after the wait).
 */
public record Postscreen(PostscreenSettings settings, PassCache passed,
                         io.mailfleet.protocols.smtp.check.RefusalCounter refusals,
                         java.util.function.Consumer<java.net.InetAddress> onGreetWait) {

    /** No postscreen test. */
    public static final Postscreen DISABLED = new Postscreen(PostscreenSettings.DISABLED, PassCache.NONE);

    public Postscreen {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(passed, "passed");
        Objects.requireNonNull(refusals, "refusals");
        Objects.requireNonNull(onGreetWait, "onGreetWait");
    }

    public Postscreen(PostscreenSettings settings, PassCache passed) {
        this(settings, passed, io.mailfleet.protocols.smtp.check.RefusalCounter.NONE, client -> { });
    }

    /** The test with a per-node cache of at most 100,000 passed clients. */
    public static Postscreen local(PostscreenSettings settings) {
        return new Postscreen(settings, new LocalPassCache(100_000));
    }
}
