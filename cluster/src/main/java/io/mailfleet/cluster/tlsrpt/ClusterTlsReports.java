package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link TlsReportStore} on the sharded {@link TlsReportEntity}: a domain's counts live in one bucket on one node. */
public final class ClusterTlsReports implements TlsReportStore {

    /** Buckets of domains: spread over the nodes, few enough to ask every one for the daily report. */
    static final int BUCKETS = 16;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;

    private ClusterTlsReports(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node; the buckets are never passivated (their counts live in memory). */
    public static ClusterTlsReports start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(TlsReportEntity.TYPE_KEY, ctx -> TlsReportEntity.create())
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        return new ClusterTlsReports(sharding);
    }

    static String bucket(String domain) {
        return Integer.toString(Math.floorMod(domain.hashCode(), BUCKETS));
    }

    @Override
    public void record(TlsSessionOutcome outcome) {
        sharding.entityRefFor(TlsReportEntity.TYPE_KEY, bucket(outcome.policyDomain()))
                .tell(new TlsReportEntity.Record(outcome));
    }

    @Override
    public CompletionStage<List<TlsRptDay>> take(String lastDay) {
        List<CompletableFuture<TlsReportEntity.Taken>> asks = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            asks.add(sharding.entityRefFor(TlsReportEntity.TYPE_KEY, Integer.toString(i))
                    .<TlsReportEntity.Taken>ask(r -> new TlsReportEntity.Take(lastDay, r), ASK_TIMEOUT)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<TlsRptDay> all = new ArrayList<>();
            asks.forEach(a -> all.addAll(a.join().days()));
            all.sort(Comparator.comparing(TlsRptDay::day).thenComparing(TlsRptDay::policyDomain));
            return all;
        });
    }
}
