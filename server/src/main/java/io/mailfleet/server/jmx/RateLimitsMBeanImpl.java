package io.mailfleet.server.jmx;

import io.mailfleet.core.ratelimit.RateLimiter;
import org.apache.pekko.actor.typed.ActorSystem;

import javax.management.ObjectName;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@link RateLimitsMXBean} of one node, registered as {@code io.mailfleet:type=RateLimits,name=<host>_<port>}. */
public final class RateLimitsMBeanImpl implements RateLimitsMXBean, AutoCloseable {

    private static final long TIMEOUT_SECONDS = 10;

    private final RateLimiter limiter;
    private final ObjectName name;

    private RateLimitsMBeanImpl(RateLimiter limiter, ObjectName name) {
        this.limiter = limiter;
        this.name = name;
    }

    /** Registers the bean with the platform MBean server (replacing a stale one of the same name). */
    public static RateLimitsMBeanImpl register(ActorSystem<?> system, RateLimiter limiter) throws Exception {
        ObjectName name = MBeans.nameFor(system, "RateLimits");
        RateLimitsMBeanImpl bean = new RateLimitsMBeanImpl(limiter, name);
        MBeans.register(bean, name);
        return bean;
    }

    public ObjectName objectName() {
        return name;
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

    /** JMX clients only see standard exception types, so failures become IllegalStateException with the reason. */
    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("rate counters not answering: " + c.getClass().getSimpleName() + ": "
                    + c.getMessage());
        }
    }

    @Override
    public void close() throws Exception {
        MBeans.unregister(name);
    }
}
