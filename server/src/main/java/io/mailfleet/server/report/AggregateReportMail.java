package io.mailfleet.server.report;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The mail an aggregate report travels in, as DMARC (RFC 7489 §7.2.1.1) and TLS-RPT (RFC 8460 §5.3)
 * both lay it out: the {@code Report Domain: … Submitter: … Report-ID: <…>} subject, a short text part
 * and the gzip report as a base64 attachment; the formats differ in the multipart type, extra header
 * fields and the attachment's type and name.
 *
 * @param from           the sending address (its domain names the Message-ID)
 * @param to             the report address
 * @param policyDomain   the domain the report is about
 * @param submitter      who reports
 * @param reportId       the report's id
 * @param extraHeaders   header fields after Message-ID, without line ends
 * @param multipartType  the top-level content type without its boundary, e.g. {@code multipart/mixed}
 * @param boundaryPrefix the start of the random MIME boundary
 * @param text           the text part, without its final line end
 * @param attachmentType the attachment's content type
 * @param fileName       the attachment's name
 * @param attachment     the gzip report
 */
public record AggregateReportMail(String from, String to, String policyDomain, String submitter, String reportId,
                                  List<String> extraHeaders, String multipartType, String boundaryPrefix, String text,
                                  String attachmentType, String fileName, byte[] attachment) {

    /** The whole message dated {@code now} (CRLF line ends, US-ASCII). */
    public byte[] bytes(Instant now) {
        String boundary = boundaryPrefix + UUID.randomUUID();
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now.atOffset(ZoneOffset.UTC));
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Date: ").append(date).append("\r\n");
        m.append("Subject: Report Domain: ").append(policyDomain).append(" Submitter: ").append(submitter)
                .append(" Report-ID: <").append(reportId).append(">\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.substring(from.indexOf('@') + 1))
                .append(">\r\n");
        extraHeaders.forEach(h -> m.append(h).append("\r\n"));
        m.append("Auto-Submitted: auto-generated\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: ").append(multipartType).append("; boundary=\"").append(boundary).append("\"\r\n");
        m.append("\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        m.append(text).append("\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: ").append(attachmentType).append("; name=\"").append(fileName).append("\"\r\n");
        m.append("Content-Disposition: attachment; filename=\"").append(fileName).append("\"\r\n");
        m.append("Content-Transfer-Encoding: base64\r\n\r\n");
        m.append(Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(attachment))
                .append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
