package io.mailfleet.core.dsn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Reports are parsed back with Jakarta Mail, a MIME implementation independent of the builder. */
class BounceBuilderTest {
    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    private static final Instant ARRIVAL = Instant.parse("2026-03-01T10:00:00Z");
    private static final BounceBuilder BUILDER = new BounceBuilder("mail.example.com", Clock.fixed(NOW, ZoneOffset.UTC));
    private static final String ORIGINAL = "Received: from a by b\r\nFrom: Ada <ada@example.com>\r\nTo: grace@remote.example\r\n"
            + "Subject: Plans\r\nMessage-ID: <o1@example.com>\r\n\r\nSecret body text\r\nline two\r\n";

    private static DsnRecipient failed(String rcpt, String orcpt) {
        return new DsnRecipient(rcpt, orcpt, DsnAction.FAILED, "5.1.1", "mx.remote.example",
                "550-5.1.1 The email account does not exist.\r\n550 5.1.1 Try again later", NOW, null);
    }

    private static MimeMessage parse(InputStream in) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), in);
    }

    private static String text(BodyPart p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void failureReportWithHeadersOnly() throws Exception {
        DsnReport report = new DsnReport("4FxY2", "ada@example.com", "env-77", ARRIVAL, false,
                List.of(failed("grace@remote.example", "rfc822;Grace+2BX@remote.example")));
        byte[] bytes = BUILDER.build(report, new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.US_ASCII))).readAllBytes();
        MimeMessage m = parse(new ByteArrayInputStream(bytes));
        assertEquals("Undelivered Mail Returned to Sender", m.getSubject());
        assertEquals("Mail Delivery System <MAILER-DAEMON@mail.example.com>", m.getHeader("From")[0]);
        assertEquals("<ada@example.com>", m.getHeader("To")[0]);
        assertEquals("auto-replied", m.getHeader("Auto-Submitted")[0]);
        assertTrue(m.getContentType().startsWith("multipart/report; report-type=delivery-status;"), m.getContentType());
        assertEquals(NOW, m.getSentDate().toInstant());
        MimeMultipart mp = new MimeMultipart(m.getDataHandler().getDataSource());
        assertEquals(3, mp.getCount());

        String human = text(mp.getBodyPart(0));
        assertTrue(human.contains("This is the mail system at host mail.example.com."), human);
        assertTrue(human.contains("<grace@remote.example>: host mx.remote.example said: 550-5.1.1 The email account does not exist. 550 5.1.1 Try again later"), human);

        assertTrue(mp.getBodyPart(1).isMimeType("message/delivery-status"));
        String status = new String(mp.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        for (String field : List.of("Reporting-MTA: dns; mail.example.com", "X-Mailfleet-Queue-ID: 4FxY2",
                "Original-Envelope-Id: env-77", "Arrival-Date: Sun, 1 Mar 2026 10:00:00 +0000",
                "Final-Recipient: rfc822; grace@remote.example", "Original-Recipient: rfc822; Grace+X@remote.example",
                "Action: failed", "Status: 5.1.1", "Remote-MTA: dns; mx.remote.example",
                "Diagnostic-Code: smtp; 550-5.1.1 The email account does not exist.\r\n    550 5.1.1 Try again later",
                "Last-Attempt-Date: Mon, 2 Mar 2026 12:00:00 +0000")) {
            assertTrue(status.contains(field + "\r\n"), field + " missing in\n" + status);
        }
        assertFalse(status.contains("Will-Retry-Until"));

        BodyPart third = mp.getBodyPart(2);
        assertTrue(third.isMimeType("text/rfc822-headers"), third.getContentType());
        String headers = new String(third.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(headers.contains("Subject: Plans\r\n") && headers.contains("Message-ID: <o1@example.com>"), headers);
        assertFalse(new String(bytes, StandardCharsets.US_ASCII).contains("Secret body text"));
    }

    @Test
    void delayReportCarriesWillRetryUntil() throws Exception {
        Instant until = ARRIVAL.plus(Duration.ofDays(5));
        DsnReport report = new DsnReport("Q1", "ada@example.com", null, ARRIVAL, false, List.of(new DsnRecipient(
                "x@slow.example", null, DsnAction.DELAYED, "4.4.1", null, "connect to mx.slow.example: timed out", NOW, until)));
        MimeMessage m = parse(BUILDER.build(report, new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.US_ASCII))));
        assertEquals("Delayed Mail (still being retried)", m.getSubject());
        MimeMultipart mp = (MimeMultipart) m.getContent();
        String human = text(mp.getBodyPart(0));
        assertTrue(human.contains("THIS IS A WARNING ONLY") && human.contains("could not be delivered for 26 hour(s)"), human);
        assertTrue(human.contains("<x@slow.example>: connect to mx.slow.example: timed out"), human);
        String status = new String(mp.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(status.contains("Action: delayed\r\nStatus: 4.4.1\r\n"), status);
        assertTrue(status.contains("Will-Retry-Until: Fri, 6 Mar 2026 10:00:00 +0000\r\n"), status);
        assertFalse(status.contains("Original-Envelope-Id"));
    }

    @Test
    void successReportWithFullMessage() throws Exception {
        DsnReport report = new DsnReport("Q2", "ada@example.com", null, ARRIVAL, true, List.of(new DsnRecipient(
                "grace@remote.example", null, DsnAction.RELAYED, "2.0.0", "mx.remote.example", "250 2.0.0 Ok: queued as 123", NOW, null)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BUILDER.writeTo(report, new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.US_ASCII)), out);
        MimeMessage m = parse(new ByteArrayInputStream(out.toByteArray()));
        assertEquals("Successful Mail Delivery Report", m.getSubject());
        MimeMultipart mp = (MimeMultipart) m.getContent();
        BodyPart third = mp.getBodyPart(2);
        assertTrue(third.isMimeType("message/rfc822"));
        MimeMessage returned = (MimeMessage) third.getContent();
        assertEquals("Plans", returned.getSubject());
        assertEquals("Secret body text\r\nline two\r\n", new String(returned.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void fullReturnStreamsALargeOriginal() throws Exception {
        long bodyBytes = 30L * 1024 * 1024;
        byte[] head = "From: ada@example.com\r\nSubject: huge\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream huge = new InputStream() {
            long pos;

            @Override
            public int read() {
                if (pos < head.length) {
                    return head[(int) pos++];
                }
                return pos++ < head.length + bodyBytes ? ((pos % 78) == 0 ? '\n' : 'x') : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = 0;
                while (n < len) {
                    int c = read();
                    if (c == -1) {
                        break;
                    }
                    b[off + n++] = (byte) c;
                }
                return n == 0 && len > 0 ? -1 : n;
            }
        };
        DsnReport report = new DsnReport("Q3", "ada@example.com", null, ARRIVAL, true, List.of(failed("g@r.example", null)));
        long[] count = {0};
        long[] xs = {0};
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                count[0]++;
                if (b == 'x') {
                    xs[0]++;
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                count[0] += len;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == 'x') {
                        xs[0]++;
                    }
                }
            }
        };
        BUILDER.writeTo(report, huge, sink);
        assertTrue(count[0] > bodyBytes, "report shorter than the original body: " + count[0]);
        assertTrue(xs[0] >= bodyBytes * 76 / 78, "body bytes missing: " + xs[0]);
    }

    @Test
    void headersOnlyStopsReadingAtTheBlankLine() throws Exception {
        int[] read = {0};
        byte[] msg = (ORIGINAL + "x".repeat(76).concat("\r\n").repeat(20_000)).getBytes(StandardCharsets.US_ASCII);
        InputStream counting = new InputStream() {
            @Override
            public int read() {
                return read[0] < msg.length ? msg[read[0]++] : -1;
            }
        };
        DsnReport report = new DsnReport("Q4", "ada@example.com", null, ARRIVAL, false, List.of(failed("g@r.example", null)));
        String out = new String(BUILDER.build(report, counting).readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(out.contains("Message-ID: <o1@example.com>\r\n\r\n--=_"), out);
        // only one read-ahead buffer of the 1.5 MB original is consumed
        assertTrue(read[0] <= 65_536, "read " + read[0] + " of " + msg.length);
    }

    @Test
    void refusesToReportToNullSenderOrMailerDaemonAndSanitisesValues() {
        DsnReport toNull = new DsnReport("Q", "", null, ARRIVAL, false, List.of(failed("g@r.example", null)));
        assertThrows(IllegalArgumentException.class, () -> BUILDER.build(toNull, InputStream.nullInputStream()));
        DsnReport toDaemon = new DsnReport("Q", "MAILER-DAEMON@other.example", null, ARRIVAL, false, List.of(failed("g@r.example", null)));
        assertThrows(IllegalArgumentException.class, () -> BUILDER.build(toDaemon, InputStream.nullInputStream()));
        assertThrows(IllegalArgumentException.class, () -> new DsnRecipient("a@b", null, DsnAction.FAILED, "550", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new DsnReport("Q", "a@b", null, ARRIVAL, false, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BounceBuilder("bad host\r\nX: y", Clock.systemUTC()));
    }

    @Test
    void injectedLineBreaksDoNotCreateFields() throws Exception {
        DsnReport report = new DsnReport("Q\r\nX-Evil: 1", "ada@example.com", "id\nX-Evil: 2", ARRIVAL, false,
                List.of(failed("g@r.example", "rfc822;a+0D+0AX-Evil:+203@b")));
        String out = new String(BUILDER.build(report, new ByteArrayInputStream("Subject: s\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .readAllBytes(), StandardCharsets.US_ASCII);
        assertFalse(out.contains("\nX-Evil"), out);
        assertFalse(out.contains("Original-Recipient"), out);
    }
}
