package io.mailfleet.cluster.postscreen;

import io.mailfleet.cluster.testkit.TestNodes;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replicated pass cache on a one-node cluster with a clock the test moves: a pass is visible at
 * once and ends with its TTL, the leader prunes expired passes from the replicated maps, and a full
 * bucket takes no new pass.
 */
class ClusterPassCacheTest {

    @TempDir
    Path data;

    private ActorTestKit kit;
    private final MovingClock clock = new MovingClock();

    /** A clock the test advances. */
    static final class MovingClock extends Clock {
        volatile long millis = 1_800_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() {
        kit = TestNodes.node(data);
        TestNodes.join(kit.system(), kit.system());
        TestNodes.awaitUp(kit.system(), 1);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void aPassIsVisibleAtOnceEndsWithItsTtlAndIsPrunedByTheLeader() {
        ClusterPassCache cache = ClusterPassCache.start(kit.system(), 1_000, clock, Duration.ofMillis(200));
        cache.remember("pregreet 192.0.2.1", Duration.ofHours(1));
        cache.remember("dnsbl 192.0.2.1", Duration.ofSeconds(10));
        cache.remember("dnsbl 192.0.2.2", Duration.ZERO);
        assertTrue(cache.passed("pregreet 192.0.2.1"));
        assertTrue(cache.passed("dnsbl 192.0.2.1"));
        assertFalse(cache.passed("dnsbl 192.0.2.2"), "a zero TTL remembers nothing");
        assertFalse(cache.passed("dnsbl 192.0.2.3"));

        clock.millis += Duration.ofSeconds(11).toMillis();
        assertFalse(cache.passed("dnsbl 192.0.2.1"), "expired");
        assertTrue(cache.passed("pregreet 192.0.2.1"));
        TestNodes.await(() -> cache.size() == 1, Duration.ofSeconds(20), "the expired pass pruned from the replicated map");
        assertTrue(cache.passed("pregreet 192.0.2.1"));
    }

    @Test
    void aFullBucketTakesNoNewPass() {
        ClusterPassCache cache = ClusterPassCache.start(kit.system(), ClusterPassCache.BUCKETS, clock,
                ClusterPassCache.PRUNE_INTERVAL);
        String first = "dnsbl 198.51.100.1";
        String sameBucket = null;
        for (int i = 2; sameBucket == null; i++) {
            String k = "dnsbl 198.51.100." + i;
            if (ClusterPassCache.bucket(k) == ClusterPassCache.bucket(first)) {
                sameBucket = k;
            }
        }
        cache.remember(first, Duration.ofHours(1));
        cache.remember(sameBucket, Duration.ofHours(1));
        assertTrue(cache.passed(first));
        assertFalse(cache.passed(sameBucket), "one pass per bucket: the second is not remembered");
        cache.remember(first, Duration.ofHours(2));
        assertTrue(cache.passed(first), "a client already in the bucket is renewed");
        assertEquals(1, cache.size());
    }
}
