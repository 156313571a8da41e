package io.mailfleet.core.dsn;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Builds RFC 3464 delivery status notifications ({@code multipart/report; report-type=delivery-status})
 * with Postfix-like wording. The returned original is streamed, never held in memory.
 */
public final class BounceBuilder {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String hostname;
    private final Clock clock;

    /** @param hostname this server's host name: Reporting-MTA and MAILER-DAEMON@hostname */
    public BounceBuilder(String hostname, Clock clock) {
        if (hostname == null || hostname.isBlank() || !hostname.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("invalid reporting host name: " + hostname);
        }
        this.hostname = hostname;
        this.clock = clock;
    }

    /** The envelope sender of every report: the null sender, so that reports are never bounced. */
    public static String reportEnvelopeSender() {
        return "";
    }

    /**
     * The complete report message as a stream: its headers, text and delivery-status parts are built now,
     * the third part reads {@code original} lazily (header section only unless RET=FULL).
     *
     * @throws IllegalArgumentException when the envelope sender must not receive a report (see {@link BouncePolicy#mayBounce})
     */
    public InputStream build(DsnReport report, InputStream original) {
        if (!BouncePolicy.mayBounce(report.envelopeSender())) {
            throw new IllegalArgumentException("no report may be sent to envelope sender '" + report.envelopeSender() + "'");
        }
        String boundary = "=_" + HexFormat.of().formatHex(randomBytes()) + "/" + hostname;
        Instant now = clock.instant();
        String text = humanText(report);
        boolean utf8 = !isAscii(text);
        StringBuilder head = new StringBuilder();
        head.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostname).append(">\r\n");
        head.append("To: <").append(clean(report.envelopeSender())).append(">\r\n");
        head.append("Subject: ").append(subject(report.kind())).append("\r\n");
        head.append("Date: ").append(DATE.format(now)).append("\r\n");
        head.append("Message-ID: <").append(now.toEpochMilli()).append('.').append(HexFormat.of().formatHex(randomBytes()))
                .append('@').append(hostname).append(">\r\n");
        head.append("Auto-Submitted: auto-replied\r\n");
        head.append("MIME-Version: 1.0\r\n");
        head.append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n");
        head.append("\r\nThis is a MIME-encapsulated message.\r\n\r\n");
        head.append("--").append(boundary).append("\r\n");
        head.append("Content-Description: Notification\r\n");
        head.append("Content-Type: text/plain; charset=").append(utf8 ? "utf-8" : "us-ascii").append("\r\n");
        if (utf8) {
            head.append("Content-Transfer-Encoding: 8bit\r\n");
        }
        head.append("\r\n").append(text).append("\r\n");
        head.append("--").append(boundary).append("\r\n");
        head.append("Content-Description: Delivery report\r\n");
        head.append("Content-Type: message/delivery-status\r\n\r\n");
        head.append(deliveryStatus(report));
        head.append("\r\n--").append(boundary).append("\r\n");
        if (report.returnFull()) {
            head.append("Content-Description: ").append(report.kind() == DsnReport.Kind.SUCCESS ? "Delivered" : "Undelivered")
                    .append(" Message\r\nContent-Type: message/rfc822\r\n\r\n");
        } else {
            head.append("Content-Description: ").append(report.kind() == DsnReport.Kind.SUCCESS ? "Delivered" : "Undelivered")
                    .append(" Message Headers\r\nContent-Type: text/rfc822-headers\r\n\r\n");
        }
        InputStream buffered = new BufferedInputStream(original, 65536);
        InputStream third = new CrlfTerminatedInputStream(report.returnFull() ? buffered : new HeaderSectionInputStream(buffered));
        String tail = "\r\n--" + boundary + "--\r\n";
        return new SequenceInputStream(Collections.enumeration(List.of(
                new ByteArrayInputStream(head.toString().getBytes(StandardCharsets.UTF_8)),
                third,
                new ByteArrayInputStream(tail.getBytes(StandardCharsets.US_ASCII)))));
    }

    /** Writes the report to {@code out}, streaming the original; does not close either stream. */
    public void writeTo(DsnReport report, InputStream original, OutputStream out) throws IOException {
        build(report, original).transferTo(out);
    }

    static String subject(DsnReport.Kind kind) {
        return switch (kind) {
            case FAILURE -> "Undelivered Mail Returned to Sender";
            case DELAY -> "Delayed Mail (still being retried)";
            case SUCCESS -> "Successful Mail Delivery Report";
        };
    }

    private String humanText(DsnReport report) {
        StringBuilder t = new StringBuilder("This is the mail system at host ").append(hostname).append(".\r\n\r\n");
        switch (report.kind()) {
            case FAILURE -> t.append("I'm sorry to have to inform you that your message could not\r\n")
                    .append("be delivered to one or more recipients. It's attached below.\r\n\r\n")
                    .append("For further assistance, please send mail to postmaster.\r\n\r\n")
                    .append("If you do so, please include this problem report. You can\r\n")
                    .append("delete your own text from the attached returned message.\r\n");
            case DELAY -> {
                t.append("####################################################################\r\n")
                        .append("# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\r\n")
                        .append("####################################################################\r\n\r\n");
                Duration age = Duration.between(report.arrivalDate(), clock.instant());
                t.append("Your message could not be delivered for ").append(describe(age)).append(".\r\n");
                report.recipients().stream().map(DsnRecipient::willRetryUntil).filter(java.util.Objects::nonNull)
                        .max(Instant::compareTo)
                        .ifPresent(until -> t.append("It will be retried until ").append(DATE.format(until)).append(".\r\n"));
            }
            case SUCCESS -> t.append("Your message was successfully delivered to the destination(s)\r\n")
                    .append("listed below. If the message was delivered to mailbox you will\r\n")
                    .append("receive no further notifications. Otherwise you may still receive\r\n")
                    .append("notifications of mail delivery errors from other systems.\r\n");
        }
        t.append("\r\n                   The mail system\r\n");
        for (DsnRecipient r : report.recipients()) {
            t.append("\r\n<").append(clean(r.finalRecipient())).append(">: ");
            String reply = r.diagnostic() == null ? null : String.join(" ", r.diagnostic().strip().split("\\R"));
            if (r.remoteMta() != null && reply != null) {
                t.append("host ").append(clean(r.remoteMta())).append(" said: ").append(clean(reply));
            } else if (reply != null) {
                t.append(clean(reply));
            } else {
                t.append(r.action() == DsnAction.DELAYED ? "delivery temporarily suspended"
                        : r.action() == DsnAction.FAILED ? "delivery failed" : r.action().value());
            }
            t.append("\r\n");
        }
        return t.toString();
    }

    private static String describe(Duration age) {
        long hours = Math.max(0, age.toHours());
        if (hours < 1) {
            return Math.max(0, age.toMinutes()) + " minute(s)";
        }
        return hours < 48 ? hours + " hour(s)" : hours / 24 + " day(s)";
    }

    private String deliveryStatus(DsnReport report) {
        StringBuilder s = new StringBuilder();
        s.append("Reporting-MTA: dns; ").append(hostname).append("\r\n");
        if (report.queueId() != null) {
            s.append("X-Mailfleet-Queue-ID: ").append(clean(report.queueId())).append("\r\n");
        }
        s.append("X-Mailfleet-Sender: rfc822; ").append(clean(report.envelopeSender())).append("\r\n");
        if (report.envId() != null) {
            s.append("Original-Envelope-Id: ").append(clean(report.envId())).append("\r\n");
        }
        s.append("Arrival-Date: ").append(DATE.format(report.arrivalDate())).append("\r\n");
        for (DsnRecipient r : report.recipients()) {
            s.append("\r\n");
            s.append("Final-Recipient: rfc822; ").append(clean(r.finalRecipient())).append("\r\n");
            String orig = BouncePolicy.originalRecipient(r.orcpt());
            if (orig != null) {
                s.append("Original-Recipient: ").append(orig).append("\r\n");
            }
            s.append("Action: ").append(r.action().value()).append("\r\n");
            s.append("Status: ").append(r.status()).append("\r\n");
            if (r.remoteMta() != null) {
                s.append("Remote-MTA: dns; ").append(clean(r.remoteMta())).append("\r\n");
            }
            if (r.diagnostic() != null) {
                s.append("Diagnostic-Code: smtp; ").append(r.diagnostic().strip().lines().map(String::strip)
                        .map(BounceBuilder::clean).collect(java.util.stream.Collectors.joining("\r\n    "))).append("\r\n");
            }
            if (r.lastAttempt() != null) {
                s.append("Last-Attempt-Date: ").append(DATE.format(r.lastAttempt())).append("\r\n");
            }
            if (r.willRetryUntil() != null && r.action() == DsnAction.DELAYED) {
                s.append("Will-Retry-Until: ").append(DATE.format(r.willRetryUntil())).append("\r\n");
            }
        }
        return s.toString();
    }

    /** Removes line breaks and control characters so a value cannot inject header lines. */
    private static String clean(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            b.append(c < 32 || c == 127 ? ' ' : c);
        }
        return b.toString();
    }

    private static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 128);
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return b;
    }
}
