package io.mailfleet.core.tlsrpt;

import java.util.List;

/** The counts of one policy (RFC 8460 {@code policies} entry) of a domain on one day. */
public record TlsRptPolicyTally(String policyType, List<String> policyStrings, List<String> mxHosts, long successes,
                                List<TlsRptFailureCount> failures) {

    public TlsRptPolicyTally {
        policyStrings = List.copyOf(policyStrings);
        mxHosts = List.copyOf(mxHosts);
        failures = List.copyOf(failures);
    }

    public long failureTotal() {
        return failures.stream().mapToLong(TlsRptFailureCount::count).sum();
    }
}
