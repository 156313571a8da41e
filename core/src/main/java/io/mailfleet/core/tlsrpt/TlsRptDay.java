package io.mailfleet.core.tlsrpt;

import java.util.List;

/**
 * Everything recorded for one policy domain on one UTC day: the content of one report.
 *
 * @param day {@code yyyy-MM-dd}
 */
public record TlsRptDay(String policyDomain, String day, List<TlsRptPolicyTally> policies) {
    public TlsRptDay {
        policies = List.copyOf(policies);
    }
}
