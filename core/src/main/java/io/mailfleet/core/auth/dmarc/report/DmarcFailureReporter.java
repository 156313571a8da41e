package io.mailfleet.core.auth.dmarc.report;

/** Where the end-of-data check hands messages that may owe a DMARC failure report (fire and forget). */
public interface DmarcFailureReporter {

    /** Considers {@code failure}: the domain's record decides whether a report is sent; never throws. */
    void report(DmarcFailure failure);

    /** False for the reporter that sends nothing, so the caller need not gather the report's data. */
    default boolean enabled() {
        return true;
    }

    /** A reporter that sends nothing (failure reports off). */
    static DmarcFailureReporter none() {
        return Off.INSTANCE;
    }

    /** The reporter of {@link #none()}. */
    enum Off implements DmarcFailureReporter {
        INSTANCE;

        @Override
        public void report(DmarcFailure failure) {
        }

        @Override
        public boolean enabled() {
            return false;
        }
    }
}
