package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
import io.netty.util.ResourceLeakDetector;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Submission on 587 (STARTTLS) and 465 (implicit TLS): AUTH, spoof protection, DSN, privacy scrub, streaming. */
class SmtpSubmissionTest {

    @TempDir
    static Path dir;
    static SmtpFixture fx;
    static SmtpServer submission;
    static SmtpServer submissions;

    @BeforeAll
    static void start() throws Exception {
        fx = new SmtpFixture(dir, true);
        submission = fx.start(SmtpFixture.custom(SmtpMode.SUBMISSION, 30_000_000, Duration.ofSeconds(300),
                BareNewlinePolicy.REJECT, true, List.of()));
        submissions = fx.start(SmtpFixture.custom(SmtpMode.SUBMISSIONS, 30_000_000, Duration.ofSeconds(300),
                BareNewlinePolicy.REJECT, true, List.of()));
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @BeforeEach
    void clear() {
        fx.queue.entries.clear();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Wire tlsSession() throws Exception {
        Wire c = Wire.smtp(submission.port());
        c.expect("220 ");
        c.send("EHLO laptop").expect("250-");
        c.send("STARTTLS").expect("220 2.0.0");
        c.startTls();
        String ehlo = c.send("EHLO laptop").expect("250-");
        assertTrue(ehlo.contains("250-AUTH PLAIN LOGIN"), ehlo);
        assertTrue(ehlo.contains("250-DSN"), ehlo);
        return c;
    }

    @Test
    void port587RequiresStartTlsBeforeAuthAndMail() throws Exception {
        try (Wire c = Wire.smtp(submission.port())) {
            c.expect("220 ");
            String ehlo = c.send("EHLO laptop").expect("250-");
            assertFalse(ehlo.contains("AUTH"), ehlo);
            assertTrue(ehlo.contains("STARTTLS"), ehlo);
            c.send("AUTH PLAIN " + plain("alice@example.com", "secret")).expect("530 5.7.0 Must issue a STARTTLS command first");
            c.send("MAIL FROM:<alice@example.com>").expect("530 5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void authReplies() throws Exception {
        try (Wire c = tlsSession()) {
            c.send("MAIL FROM:<alice@example.com>").expect("250");
            c.send("RCPT TO:<bob@example.com>").expect("554 5.7.1 <unknown[127.0.0.1]>: Client host rejected: Access denied");
            c.send("RSET").expect("250");
            c.send("AUTH PLAIN " + plain("alice@example.com", "wrong")).expect("535 5.7.8 Error: authentication failed: ");
            c.send("AUTH PLAIN").expect("334 ");
            c.send("*").expect("501 5.7.0 Authentication aborted");
            c.send("AUTH CRAM-MD5").expect("504 5.5.4");
            c.send("AUTH PLAIN !!!notbase64").expect("501 5.5.2");
            c.send("AUTH LOGIN").expect("334 VXNlcm5hbWU6");
            c.send(Base64.getEncoder().encodeToString("alice@example.com".getBytes())).expect("334 UGFzc3dvcmQ6");
            c.send(Base64.getEncoder().encodeToString("secret".getBytes())).expect("235 2.7.0 Authentication successful");
            c.send("AUTH PLAIN " + plain("alice@example.com", "secret")).expect("503 5.5.1");
        }
    }

    @Test
    void spoofProtectionAndDsnOnSubmission() throws Exception {
        try (Wire c = tlsSession()) {
            c.send("AUTH PLAIN " + plain("alice@example.com", "secret")).expect("235 2.7.0");
            c.send("MAIL FROM:<bob@example.com>")
                    .expect("553 5.7.1 <bob@example.com>: Sender address rejected: not owned by user alice@example.com");
            c.send("MAIL FROM:<alice+tag@example.com>").expect("553 5.7.1");
            c.send("MAIL FROM:<sales@example.com> RET=HDRS ENVID=abc123").expect("250 2.1.0");
            c.send("RCPT TO:<friend@elsewhere.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;friend@elsewhere.org").expect("250 2.1.5");
            c.send("DATA").expect("354");
            c.write("Subject: x\r\n\r\nhello\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        var env = fx.queue.entries.get(0).envelope();
        assertEquals("sales@example.com", env.sender());
        assertEquals("HDRS", env.ret());
        assertEquals("abc123", env.envId());
        assertEquals("SUCCESS,FAILURE", env.recipients().get(0).dsnNotify());
        assertEquals("alice@example.com", env.authenticatedUser());
        assertTrue(env.submission());
    }

    @Test
    void angusClientSubmitsWithStartTlsAndAuthAndHeadersAreScrubbed() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(submission.port()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.timeout", "20000");
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("alice@example.com"));
        m.setRecipients(Message.RecipientType.TO, "bob@example.com");
        m.setSubject("hello from angus");
        m.setHeader("User-Agent", "Secret Client 1.0");
        m.setHeader("X-Mailer", "Secret Mailer");
        m.addHeader("X-Originating-IP", "[198.51.100.7]");
        m.setText("Body line\r\n.starts with a dot\r\n");
        try (Transport t = session.getTransport("smtp")) {
            t.connect("alice@example.com", "secret");
            t.sendMessage(m, m.getAllRecipients());
        }
        assertEquals(1, fx.queue.entries.size());
        String msg = fx.content(fx.queue.entries.get(0).blob());
        assertTrue(msg.startsWith("Received: by mail.example.com (Mailfleet) with ESMTPSA id "), msg);
        assertFalse(msg.contains("127.0.0.1"), msg);
        assertFalse(msg.contains("User-Agent"), msg);
        assertFalse(msg.contains("X-Mailer"), msg);
        assertFalse(msg.contains("X-Originating-IP"), msg);
        assertTrue(msg.contains("Subject: hello from angus\r\n"), msg);
        assertTrue(msg.contains("\r\n.starts with a dot\r\n"), msg);
    }

    @Test
    void authenticatedSessionsAreListedAndAnOperatorKickEndsThem() throws Exception {
        try (Wire c = Wire.smtps(submissions.port())) {
            c.expect("220 ");
            c.send("EHLO laptop").expect("250-");
            c.send("AUTH PLAIN " + plain("bob@example.com", "secret")).expect("235");
            List<io.mailfleet.core.service.SessionInfo> listed = awaitSessions("bob@example.com", 1);
            assertEquals("smtp", listed.get(0).protocol());
            assertEquals("127.0.0.1", listed.get(0).remoteIp());
            assertEquals(1, fx.sessions.kick("bob@example.com", java.util.Optional.empty())
                    .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS));
            c.expect("421 4.7.0 " + SmtpFixture.HOST + " Disconnected by the administrator");
            assertTrue(c.closedByServer());
        }
        awaitSessions("bob@example.com", 0);
    }

    private static List<io.mailfleet.core.service.SessionInfo> awaitSessions(String account, int count) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<io.mailfleet.core.service.SessionInfo> now = fx.sessions.list(account).toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            if (now.size() == count) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " session(s) of " + account + ", found " + now);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void port465IsImplicitTls() throws Exception {
        try (Wire c = Wire.smtps(submissions.port())) {
            c.expect("220 " + SmtpFixture.HOST + " ESMTP");
            String ehlo = c.send("EHLO laptop").expect("250-");
            assertTrue(ehlo.contains("AUTH PLAIN LOGIN"), ehlo);
            assertFalse(ehlo.contains("STARTTLS"), ehlo);
            c.send("AUTH PLAIN " + plain("bob@example.com", "secret")).expect("235");
            c.send("MAIL FROM:<bob@example.com>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.write("BDAT 12 LAST\r\nSubject: y\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        // a plain-text client gets no banner: the server waits for a TLS ClientHello and drops the garbage
        try (Socket s = new Socket("127.0.0.1", submissions.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("EHLO plain\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] got = in.readAllBytes();
            assertFalse(new String(got, StandardCharsets.ISO_8859_1).contains("220"));
        }
    }

    @Test
    void twentyMegabytesStreamIntoTheBlobStore() throws Exception {
        // Paranoid leak detection records a stack trace at every access of every buffer: for 20 MB
        // through TLS that is minutes of work. Sampled tracking still checks this path for leaks.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
        try {
            streamTwentyMegabytes();
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }

    private void streamTwentyMegabytes() throws Exception {
        MessageDigest body = MessageDigest.getInstance("SHA-256");
        long bodyBytes = 0;
        try (Wire c = Wire.smtps(submissions.port())) {
            c.expect("220 ");
            c.send("EHLO laptop").expect("250-");
            c.send("AUTH PLAIN " + plain("bob@example.com", "secret")).expect("235");
            c.send("MAIL FROM:<bob@example.com> SIZE=21000000").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            byte[] line = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] header = "Subject: big\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            c.write(header);
            body.update(header);
            bodyBytes += header.length;
            byte[] block = new byte[line.length * 1000];
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(line, 0, block, i * line.length, line.length);
            }
            while (bodyBytes < 20_000_000) {
                c.write(block);
                body.update(block);
                bodyBytes += block.length;
            }
            c.write(".\r\n");
            c.expect("250 2.0.0 Ok: queued as");
        }
        var ref = fx.queue.entries.get(0).blob();
        try (InputStream in = fx.blobs.open(ref)) {
            byte[] received = readLine(in);
            assertTrue(new String(received, StandardCharsets.US_ASCII).startsWith("Received: by mail.example.com"));
            MessageDigest stored = MessageDigest.getInstance("SHA-256");
            long storedBytes = 0;
            byte[] buf = new byte[65536];
            byte[] pending = null;
            // skip the folded continuation lines of the Received field
            int n;
            while (true) {
                byte[] l = readLine(in);
                if (l[0] != '\t') {
                    pending = l;
                    break;
                }
            }
            stored.update(pending);
            storedBytes += pending.length;
            while ((n = in.read(buf)) > 0) {
                stored.update(buf, 0, n);
                storedBytes += n;
            }
            assertEquals(bodyBytes, storedBytes);
            assertEquals(HexFormat.of().formatHex(body.digest()), HexFormat.of().formatHex(stored.digest()));
        }
        assertEquals(ref.size(), fx.blobs.open(ref).transferTo(java.io.OutputStream.nullOutputStream()));
    }

    private static byte[] readLine(InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        return b.toByteArray();
    }

    @Test
    void plaintextSubmissionWhenTlsIsOffAllowsAuthInClear(@TempDir Path other) throws Exception {
        try (SmtpFixture noTls = new SmtpFixture(other, false)) {
            SmtpServer s = noTls.start(SmtpFixture.settings(SmtpMode.SUBMISSIONS));
            try (Wire c = Wire.smtp(s.port())) {
                c.expect("220 ");
                String ehlo = c.send("EHLO laptop").expect("250-");
                assertTrue(ehlo.contains("AUTH PLAIN LOGIN"));
                assertFalse(ehlo.contains("STARTTLS"));
                c.send("STARTTLS").expect("502 5.5.1");
                c.send("AUTH PLAIN " + plain("alice@example.com", "secret")).expect("235");
            }
            assertNull(noTls.tls.current().orElse(null));
        }
    }
}
