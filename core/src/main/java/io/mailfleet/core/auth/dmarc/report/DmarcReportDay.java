package io.mailfleet.core.auth.dmarc.report;

import java.util.List;

/**
 * Everything recorded for one policy domain on one UTC day: the content of one aggregate report.
 *
 * @param day     {@code yyyy-MM-dd}
 * @param dropped evaluations not counted because the day had reached its row limit
 */
public record DmarcReportDay(String policyDomain, String day, List<DmarcRowCount> rows, long dropped) {

    public DmarcReportDay {
        rows = List.copyOf(rows);
    }

    /** Messages the rows stand for. */
    public long messages() {
        return rows.stream().mapToLong(DmarcRowCount::count).sum();
    }
}
