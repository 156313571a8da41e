package io.mailfleet.core.tlsrpt;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The cluster-wide TLS-RPT counts: outbound delivery records into it, the daily report takes from it. */
public interface TlsReportStore {

    /** Counts one outcome (fire and forget). */
    void record(TlsSessionOutcome outcome);

    /**
     * Removes and returns the counts of every day up to and including {@code lastDay}
     * ({@code yyyy-MM-dd}); each count is handed out once, even when several nodes ask.
     */
    CompletionStage<List<TlsRptDay>> take(String lastDay);

    /** A store that records nothing (TLS-RPT off). */
    static TlsReportStore none() {
        return new TlsReportStore() {
            @Override
            public void record(TlsSessionOutcome outcome) {
            }

            @Override
            public CompletionStage<List<TlsRptDay>> take(String lastDay) {
                return CompletableFuture.completedFuture(List.of());
            }
        };
    }
}
