package io.mailfleet.core.auth.dmarc.report;

import java.util.Objects;

/**
 * One message's DMARC evaluation as aggregate reports count it.
 *
 * @param policyDomain the domain whose record applied (the report goes to its rua)
 * @param atMillis     when
 */
public record DmarcEvaluation(String policyDomain, long atMillis, DmarcRow row) {

    public DmarcEvaluation {
        Objects.requireNonNull(policyDomain, "policy domain");
        Objects.requireNonNull(row, "row");
    }
}
