package io.mailfleet.server.jmx;

import java.util.List;

/** The cluster-wide SMTP rate limits over JMX: who is limited now, and a reset. */
public interface RateLimitsMXBean {

    /** One line per key and limit refused within its window: {@code key limit max/windows refusals last}. */
    List<String> getLimited();

    /** Forgets every count of {@code key} (an address, an IPv6 /64, {@code user:<account>}, {@code domain:<domain>}); returns the counters reset. */
    int reset(String key);
}
