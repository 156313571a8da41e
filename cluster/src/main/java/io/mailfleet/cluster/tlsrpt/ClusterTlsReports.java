package io.mailfleet.cluster.tlsrpt;

import io.mailfleet.core.tlsrpt.TlsReportStore;
import io.mailfleet.core.tlsrpt.TlsRptDay;
import io.mailfleet.core.tlsrpt.TlsSessionOutcome;
import io.mailfleet.cluster.report.ReportBuckets;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@link TlsReportStore} on the sharded {@link TlsReportEntity}: a domain's counts live in one bucket on one node. */
public final class ClusterTlsReports implements TlsReportStore {

    private final ReportBuckets<TlsReportEntity.Command> buckets;

    private ClusterTlsReports(ReportBuckets<TlsReportEntity.Command> buckets) {
        this.buckets = buckets;
    }

    /** Registers the entity type on this node; the buckets are never passivated (their counts live in memory). */
    public static ClusterTlsReports start(ActorSystem<?> system) {
        return new ClusterTlsReports(ReportBuckets.start(system, TlsReportEntity.TYPE_KEY, TlsReportEntity::create));
    }

    @Override
    public void record(TlsSessionOutcome outcome) {
        buckets.tell(outcome.policyDomain(), new TlsReportEntity.Record(outcome));
    }

    @Override
    public CompletionStage<List<TlsRptDay>> take(String lastDay) {
        return buckets.<TlsReportEntity.Taken, TlsRptDay>askAll(r -> new TlsReportEntity.Take(lastDay, r), TlsReportEntity.Taken::days).thenApply(all -> {
            all.sort(Comparator.comparing(TlsRptDay::day).thenComparing(TlsRptDay::policyDomain));
            return all;
        });
    }
}
