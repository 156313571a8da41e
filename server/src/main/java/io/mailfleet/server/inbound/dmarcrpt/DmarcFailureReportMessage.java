package io.mailfleet.server.inbound.dmarcrpt;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.dmarc.report.DmarcFailure;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureOptions;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.dkim.DkimResult;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The failure report mail of RFC 7489 section 7.3 in the Authentication Failure Reporting Format (RFC 6591
 * on RFC 5965's ARF): a {@code multipart/report; report-type=feedback-report} with a human-readable part,
 * the {@code message/feedback-report} part ({@code Feedback-Type: auth-failure}) and the failing message's
 * header section as {@code text/rfc822-headers}. The body of the message is never included.
 */
public final class DmarcFailureReportMessage {

    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT);

    private DmarcFailureReportMessage() {
    }

    /**
     * The whole message (CRLF line ends, ISO-8859-1 so the quoted header bytes pass unchanged).
     *
     * @param receiver this host's name (Reporting-MTA, the Subject)
     */
    public static byte[] build(String from, String to, String receiver, DmarcFailure f, Instant now) {
        AuthenticationResults r = f.results();
        DmarcResult d = r.dmarc();
        String boundary = "dmarc-ruf-" + UUID.randomUUID();
        StringBuilder m = new StringBuilder();
        m.append("From: ").append(from).append("\r\n");
        m.append("To: ").append(to).append("\r\n");
        m.append("Date: ").append(DATE.format(now.atOffset(ZoneOffset.UTC))).append("\r\n");
        m.append("Subject: DMARC failure report for ").append(d.fromDomain()).append(" from ").append(f.sourceIp())
                .append(" (").append(receiver).append(")\r\n");
        m.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(from.substring(from.indexOf('@') + 1))
                .append(">\r\n");
        m.append("Auto-Submitted: auto-generated\r\n");
        m.append("MIME-Version: 1.0\r\n");
        m.append("Content-Type: multipart/report; report-type=feedback-report;\r\n\tboundary=\"").append(boundary)
                .append("\"\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        m.append("This is a DMARC failure report (RFC 7489 section 7.3) from ").append(receiver)
                .append(" about a message from ").append(f.sourceIp()).append(" whose From domain is ")
                .append(d.fromDomain()).append(": dmarc=").append(d.status().keyword()).append(", the message was ")
                .append(deliveryResult(d)).append(".\r\n");
        m.append("Only the message's header section is included.\r\n\r\n");
        m.append("--").append(boundary).append("\r\n");
        m.append("Content-Type: message/feedback-report\r\n\r\n");
        m.append(feedbackReport(f, receiver));
        m.append("\r\n--").append(boundary).append("\r\n");
        m.append("Content-Type: text/rfc822-headers\r\n");
        if (!ascii(f.headers())) {
            m.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        m.append("\r\n");
        m.append(f.headers());
        m.append("\r\n--").append(boundary).append("--\r\n");
        return m.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether the message needs 8BITMIME (the quoted header section has 8-bit bytes). */
    public static boolean eightBit(DmarcFailure f) {
        return !ascii(f.headers());
    }

    /** The {@code message/feedback-report} fields (RFC 5965 section 3.1, RFC 6591 section 3.1, RFC 7489 section 7.3.1). */
    static String feedbackReport(DmarcFailure f, String receiver) {
        AuthenticationResults r = f.results();
        DmarcResult d = r.dmarc();
        StringBuilder b = new StringBuilder();
        b.append("Feedback-Type: auth-failure\r\n");
        b.append("User-Agent: Mailfleet\r\n");
        b.append("Version: 1\r\n");
        b.append("Original-Mail-From: <").append(printable(f.sender())).append(">\r\n");
        b.append("Arrival-Date: ").append(DATE.format(f.arrival().atOffset(ZoneOffset.UTC))).append("\r\n");
        b.append("Reporting-MTA: dns; ").append(receiver).append("\r\n");
        b.append("Source-IP: ").append(f.sourceIp()).append("\r\n");
        b.append("Reported-Domain: ").append(d.fromDomain()).append("\r\n");
        b.append(r.field());
        String failure = authFailure(r);
        b.append("Auth-Failure: ").append(failure).append("\r\n");
        b.append("Delivery-Result: ").append(deliveryResult(d)).append("\r\n");
        b.append("Identity-Alignment: ").append(alignment(d)).append("\r\n");
        if (failure.equals("signature")) {
            for (DkimResult k : r.dkim()) {
                if (k.status() == DkimResult.Status.FAIL || k.status() == DkimResult.Status.PERMERROR) {
                    if (k.domain() != null) {
                        b.append("DKIM-Domain: ").append(printable(k.domain())).append("\r\n");
                    }
                    if (k.identity() != null) {
                        b.append("DKIM-Identity: ").append(printable(k.identity())).append("\r\n");
                    }
                    if (k.selector() != null) {
                        b.append("DKIM-Selector: ").append(printable(k.selector())).append("\r\n");
                    }
                    break;
                }
            }
        }
        return b.toString();
    }

    /** RFC 6591 section 3.2 / RFC 7489 section 7.3.1: dmarc when DMARC failed, else what fo=d or fo=s reported. */
    static String authFailure(AuthenticationResults r) {
        if (r.dmarc().status() == DmarcResult.Status.FAIL || !DmarcFailureOptions.dkimFailed(r)
                && !DmarcFailureOptions.spfFailed(r)) {
            return "dmarc";
        }
        return DmarcFailureOptions.dkimFailed(r) ? "signature" : "spf";
    }

    /** RFC 6591 section 3.2's Delivery-Result from the disposition this server applied. */
    static String deliveryResult(DmarcResult d) {
        return d.disposition() == DmarcRecord.Policy.REJECT ? "reject"
                : d.disposition() == DmarcRecord.Policy.QUARANTINE ? "spam" : "delivered";
    }

    /** RFC 7489 section 7.3.1's Identity-Alignment: the mechanisms that gave an aligned pass. */
    static String alignment(DmarcResult d) {
        List<String> aligned = new ArrayList<>();
        if (d.dkimAligned()) {
            aligned.add("dkim");
        }
        if (d.spfAligned()) {
            aligned.add("spf");
        }
        return aligned.isEmpty() ? "none" : String.join(", ", aligned);
    }

    /** A sender-chosen value in a field of ours: one line, printable ASCII. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 512; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }
}
