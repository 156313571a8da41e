package io.mailfleet.server.jmx;

import io.mailfleet.core.ratelimit.RateLimiter;
import org.apache.pekko.actor.typed.ActorSystem;

import javax.management.ObjectName;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The {@link RateLimitsMXBean} of one node, registered as {@code io.mailfleet:type=RateLimits,name=<host>_<port>}. */
public final class RateLimitsMBeanImpl extends RegisteredBean implements RateLimitsMXBean {

    private static final long TIMEOUT_SECONDS = 10;

    private final RateLimiter limiter;

    private RateLimitsMBeanImpl(RateLimiter limiter, ObjectName name) {
        super(name);
        this.limiter = limiter;
    }

    /** Registers the bean with the platform MBean server (replacing a stale one of the same name). */
    public static RateLimitsMBeanImpl register(ActorSystem<?> system, RateLimiter limiter) throws Exception {
        return MBeans.register(system, "RateLimits", name -> new RateLimitsMBeanImpl(limiter, name));
    }

    @Override
    public List<String> getLimited() {
        return await(limiter.limited().toCompletableFuture()).stream()
                .map(l -> l.key() + " " + l.limit() + " " + l.max() + "/" + l.windowSeconds() + "s " + l.refusals()
                        + " " + Instant.ofEpochMilli(l.refusedAt()))
                .toList();
    }

    @Override
    public int reset(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a key is required (see Limited or `./mailfleet rate-limits list`)");
        }
        return await(limiter.reset(key.strip()).toCompletableFuture());
    }

    private static <T> T await(CompletableFuture<T> f) {
        return MBeans.await(f, TIMEOUT_SECONDS, "rate counters");
    }
}
