package io.mailfleet.cluster.dmarcrpt;

import io.mailfleet.core.auth.dmarc.report.DmarcReportStore;
import io.mailfleet.core.auth.dmarc.report.DmarcReportDay;
import io.mailfleet.core.auth.dmarc.report.DmarcEvaluation;
import io.mailfleet.cluster.report.ReportBuckets;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@link DmarcReportStore} on the sharded {@link DmarcReportEntity}: a domain's rows live in one bucket on one node. */
public final class ClusterDmarcReports implements DmarcReportStore {

    private final ReportBuckets<DmarcReportEntity.Command> buckets;

    private ClusterDmarcReports(ReportBuckets<DmarcReportEntity.Command> buckets) {
        this.buckets = buckets;
    }

    /** Registers the entity type on this node; the buckets are never passivated (their rows live in memory). */
    public static ClusterDmarcReports start(ActorSystem<?> system) {
        return new ClusterDmarcReports(ReportBuckets.start(system, DmarcReportEntity.TYPE_KEY, DmarcReportEntity::create));
    }

    @Override
    public void record(DmarcEvaluation evaluation) {
        buckets.tell(evaluation.policyDomain(), new DmarcReportEntity.Record(evaluation));
    }

    @Override
    public CompletionStage<List<DmarcReportDay>> take(String lastDay) {
        return buckets.<DmarcReportEntity.Taken, DmarcReportDay>askAll(r -> new DmarcReportEntity.Take(lastDay, r), DmarcReportEntity.Taken::days).thenApply(all -> {
            all.sort(Comparator.comparing(DmarcReportDay::day).thenComparing(DmarcReportDay::policyDomain));
            return all;
        });
    }
}
