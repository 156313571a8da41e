package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.cluster.mtasts.ClusterPolicyCache;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.mtasts.CachedPolicy;
import io.mailfleet.core.mtasts.MtaStsMode;
import io.mailfleet.core.mtasts.MtaStsPolicy;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsRptPolicyTally;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes in one JVM (real Artery, real Kryo): a policy cached on one node is enforced from the
 * other's copy, the newer fetch wins, and TLS-RPT counts recorded on both nodes come out once,
 * summed, per domain and day.
 */
class TransportSecurityClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;

    private static TlsSessionOutcome outcome(String domain, long at, String result) {
        return new TlsSessionOutcome(domain, at, TlsSessionOutcome.STS, List.of("version: STSv1", "mode: enforce"),
                List.of("mx.example.com"), result, "mx." + domain, "192.0.2.1", "");
    }

    @Test
    void policiesReplicateAndReportCountsAreTakenOnce() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterPolicyCache cacheA = ClusterPolicyCache.start(a.system());
            ClusterPolicyCache cacheB = ClusterPolicyCache.start(b.system());
            MtaStsPolicy enforce = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx.example.com"), 86400);
            long now = System.currentTimeMillis();
            CachedPolicy fetched = new CachedPolicy("example.com", "2", enforce, now);
            cacheA.put(fetched);
            TestNodes.await(() -> cacheB.get("example.com").toCompletableFuture().join().equals(Optional.of(fetched)),
                    WAIT, "the policy fetched on A is in B's copy");

            // A slower node storing an older fetch does not replace the newer policy anywhere.
            MtaStsPolicy older = new MtaStsPolicy(MtaStsMode.TESTING, List.of("mx.example.com"), 86400);
            cacheB.put(new CachedPolicy("example.com", "1", older, now - 60_000));
            CachedPolicy other = new CachedPolicy("example.org", "7", enforce, now);
            cacheB.put(other);
            TestNodes.await(() -> cacheA.get("example.org").toCompletableFuture().join().isPresent(), WAIT,
                    "B's later write reached A");
            assertEquals(Optional.of(fetched), cacheA.get("example.com").toCompletableFuture().join());
            assertEquals(Optional.of(fetched), cacheB.get("example.com").toCompletableFuture().join());

            ClusterTlsReports reportsA = ClusterTlsReports.start(a.system());
            ClusterTlsReports reportsB = ClusterTlsReports.start(b.system());
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            long yesterday = today.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600).toEpochMilli();
            long todayAt = Instant.now().toEpochMilli();
            reportsA.record(outcome("example.com", yesterday, ""));
            reportsB.record(outcome("example.com", yesterday, ""));
            reportsB.record(outcome("example.com", yesterday, "certificate-expired"));
            reportsA.record(outcome("example.com", todayAt, ""));
            reportsA.record(outcome("example.net", yesterday, "starttls-not-supported"));

            // Tells are not acknowledged: take until every count of yesterday has arrived.
            List<TlsRptDay> taken = new ArrayList<>();
            TestNodes.await(() -> {
                taken.addAll(reportsB.take(today.minusDays(1).toString()).toCompletableFuture().join());
                return sum(taken, "example.com", true) == 2 && sum(taken, "example.com", false) == 1
                        && sum(taken, "example.net", false) == 1;
            }, WAIT, "yesterday's counts of both nodes");
            assertTrue(taken.stream().allMatch(d -> d.day().equals(today.minusDays(1).toString())), taken.toString());
            assertEquals(List.of(), reportsA.take(today.minusDays(1).toString()).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS), "each count is handed out once");
            List<TlsRptDay> todays = reportsA.take(today.toString()).toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertEquals(1, todays.size(), todays.toString());
            assertEquals(1, sum(todays, "example.com", true));
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }

    private static long sum(List<TlsRptDay> days, String domain, boolean successes) {
        long n = 0;
        for (TlsRptDay d : days) {
            if (d.policyDomain().equals(domain)) {
                for (TlsRptPolicyTally t : d.policies()) {
                    n += successes ? t.successes() : t.failureTotal();
                }
            }
        }
        return n;
    }
}
