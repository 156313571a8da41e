package io.mailfleet.server.outbound.tlsrpt;

import io.mailfleet.server.report.AggregateReportMail;

import java.time.Instant;
import java.util.List;

/**
 * The report mail of RFC 8460 §5.3: {@code multipart/report; report-type="tlsrpt"} with a text part
 * and the gzip JSON as {@code application/tlsrpt+gzip}, named
 * {@code <submitter>!<policy-domain>!<begin>!<end>!<id>.json.gz}.
 */
public final class TlsReportMessage {

    private TlsReportMessage() {
    }

    /** The whole message (CRLF line ends). */
    public static byte[] build(String from, String to, String submitter, String policyDomain, String reportId,
                               Instant start, Instant end, byte[] gzipJson, Instant now) {
        String fileName = submitter + "!" + policyDomain + "!" + start.getEpochSecond() + "!" + end.getEpochSecond()
                + "!" + Math.abs(reportId.hashCode()) + ".json.gz";
        return new AggregateReportMail(from, to, policyDomain, submitter, reportId,
                List.of("TLS-Report-Domain: " + policyDomain, "TLS-Report-Submitter: " + submitter),
                "multipart/report; report-type=\"tlsrpt\"", "tlsrpt-",
                "This is an aggregate TLS report (RFC 8460) from " + submitter + " about mail sent to " + policyDomain
                        + " from " + start + " to " + end + ".",
                "application/tlsrpt+gzip", fileName, gzipJson).bytes(now);
    }
}
