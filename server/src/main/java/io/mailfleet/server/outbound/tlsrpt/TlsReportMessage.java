package io.mailfleet.server.outbound.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

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
        String boundary = "tlsrpt-" + UUID.randomUUID();
        String fileName = submitter + "!" + policyDomain + "!" + start.getEpochSecond() + "!" + end.getEpochSecond()
                + "!" + Math.abs(reportId.hashCode()) + ".json.gz";
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now.atOffset(ZoneOffset.UTC));
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Date: ").append(date).append("\r\n");
        m.append("Subject: Report Domain: ").append(policyDomain).append(" Submitter: ").append(submitter)
                .append(" Report-ID: <").append(reportId).append(">\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.substring(from.indexOf('@') + 1))
                .append(">\r\n");
        m.append("TLS-Report-Domain: ").append(policyDomain).append("\r\n");
        m.append("TLS-Report-Submitter: ").append(submitter).append("\r\n");
        m.append("Auto-Submitted: auto-generated\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        m.append("This is an aggregate TLS report (RFC 8460) from ").append(submitter).append(" about mail sent to ")
                .append(policyDomain).append(" from ").append(start).append(" to ").append(end).append(".\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: application/tlsrpt+gzip; name=\"").append(fileName).append("\"\r\n");
        m.append("Content-Disposition: attachment; filename=\"").append(fileName).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gzipJson))
                .append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
