package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
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

/** {@link DmarcReportStore} on the sharded {@link DmarcReportEntity}: a domain's rows live in one bucket on one node. */
public final class ClusterDmarcReports implements DmarcReportStore {

    /** Buckets of domains: spread over the nodes, few enough to ask every one for the daily report. */
    static final int BUCKETS = 16;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterSharding sharding;

    private ClusterDmarcReports(ClusterSharding sharding) {
        this.sharding = sharding;
    }

    /** Registers the entity type on this node; the buckets are never passivated (their rows live in memory). */
    public static ClusterDmarcReports start(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(DmarcReportEntity.TYPE_KEY, ctx -> DmarcReportEntity.create())
                .withSettings(ClusterShardingSettings.create(system).withNoPassivationStrategy()));
        return new ClusterDmarcReports(sharding);
    }

    static String bucket(String domain) {
        return Integer.toString(Math.floorMod(domain.hashCode(), BUCKETS));
    }

    @Override
    public void record(DmarcEvaluation evaluation) {
        sharding.entityRefFor(DmarcReportEntity.TYPE_KEY, bucket(evaluation.policyDomain()))
                .tell(new DmarcReportEntity.Record(evaluation));
    }

    @Override
    public CompletionStage<List<DmarcReportDay>> take(String lastDay) {
        List<CompletableFuture<DmarcReportEntity.Taken>> asks = new ArrayList<>();
        for (int i = 0; i < BUCKETS; i++) {
            asks.add(sharding.entityRefFor(DmarcReportEntity.TYPE_KEY, Integer.toString(i))
                    .<DmarcReportEntity.Taken>ask(r -> new DmarcReportEntity.Take(lastDay, r), ASK_TIMEOUT)
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<DmarcReportDay> all = new ArrayList<>();
            asks.forEach(a -> all.addAll(a.join().days()));
            all.sort(Comparator.comparing(DmarcReportDay::day).thenComparing(DmarcReportDay::policyDomain));
            return all;
        });
    }
}
