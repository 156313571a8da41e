package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.server.report.AggregateReportMail;

import java.time.Instant;
import java.util.List;

/**
 * The report mail of RFC 7489 section 7.2.1.1: a text part and the gzip XML as {@code application/gzip}
 * named {@code <receiver>!<policy-domain>!<begin>!<end>.xml.gz}.
 */
public final class DmarcReportMessage {

    private DmarcReportMessage() {
    }

    /** The attachment's file name. */
    public static String fileName(String receiver, String policyDomain, Instant begin, Instant end) {
        return receiver + "!" + policyDomain + "!" + begin.getEpochSecond() + "!" + end.getEpochSecond() + ".xml.gz";
    }

    /** The whole message (CRLF line ends). */
    public static byte[] build(String from, String to, String receiver, String policyDomain, String reportId,
                               Instant begin, Instant end, byte[] gzipXml, Instant now) {
        return new AggregateReportMail(from, to, policyDomain, receiver, reportId, List.of(), "multipart/mixed", "dmarc-",
                "This is a DMARC aggregate report (RFC 7489) from " + receiver + " about mail from " + policyDomain
                        + " between " + begin + " and " + end + ".",
                "application/gzip", fileName(receiver, policyDomain, begin, end), gzipXml).bytes(now);
    }
}
