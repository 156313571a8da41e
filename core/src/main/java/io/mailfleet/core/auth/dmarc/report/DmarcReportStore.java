package io.mailfleet.core.auth.dmarc.report;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The cluster-wide DMARC evaluations: inbound mail records into it, the daily report takes from it. */
public interface DmarcReportStore {

    /** Counts one evaluation (fire and forget). */
    void record(DmarcEvaluation evaluation);

    /**
     * Removes and returns the rows of every day up to and including {@code lastDay} ({@code yyyy-MM-dd});
     * each row is handed out once, even when several nodes ask.
     */
    CompletionStage<List<DmarcReportDay>> take(String lastDay);

    /** A store that records nothing (reports off). */
    static DmarcReportStore none() {
        return new DmarcReportStore() {
            @Override
            public void record(DmarcEvaluation evaluation) {
            }

            @Override
            public CompletionStage<List<DmarcReportDay>> take(String lastDay) {
                return CompletableFuture.completedFuture(List.of());
            }
        };
    }
}
