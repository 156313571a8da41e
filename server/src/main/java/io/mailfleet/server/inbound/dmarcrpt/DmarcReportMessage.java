package io.mailfleet.server.inbound.dmarcrpt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

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
        String boundary = "dmarc-" + UUID.randomUUID();
        String name = fileName(receiver, policyDomain, begin, end);
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now.atOffset(ZoneOffset.UTC));
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Date: ").append(date).append("\r\n");
        m.append("Subject: Report Domain: ").append(policyDomain).append(" Submitter: ").append(receiver)
                .append(" Report-ID: <").append(reportId).append(">\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.substring(from.indexOf('@') + 1))
                .append(">\r\n");
        m.append("Auto-Submitted: auto-generated\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        m.append("This is a DMARC aggregate report (RFC 7489) from ").append(receiver).append(" about mail from ")
                .append(policyDomain).append(" between ").append(begin).append(" and ").append(end).append(".\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: application/gzip; name=\"").append(name).append("\"\r\n");
        m.append("Content-Disposition: attachment; filename=\"").append(name).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(gzipXml))
                .append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
