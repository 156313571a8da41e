package io.mailfleet.protocols.smtp;

import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The end-of-data checks on a real listener: they read the message while it streams in, decide after it
 * is stored and before the {@code 250}, and their refusal, failure or added header fields are what the
 * client and the queue see.
 */
class SmtpDataChecksTest {

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private SmtpServer server;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fixture() throws Exception {
        fx = new SmtpFixture(dir, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fx.close();
    }

    private void start(SmtpMode mode, SmtpChecks checks) {
        server = SmtpServer.start(SmtpFixture.settings(mode), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()).withChecks(checks));
    }

    /** Counts the streamed bytes and refuses a message whose streamed bytes contain a marker. */
    private final class MarkerCheck implements DataCheck {
        @Override
        public MessageCheck open(MessageStart start) {
            seen.add("open " + start.sender() + " -> " + start.recipients() + " relay=" + start.relay());
            StringBuilder streamed = new StringBuilder();
            return new MessageCheck() {
                @Override
                public void observe(ByteBuffer stored) {
                    streamed.append(StandardCharsets.ISO_8859_1.decode(stored));
                }

                @Override
                public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
                    seen.add("decide streamed=" + streamed.length() + " size=" + attempt.size());
                    CheckResult r = streamed.toString().contains("EICAR-MARKER")
                            ? CheckResult.refuse(new SmtpReply(554, "5.7.1", "Virus found: Test-Marker"), "virus")
                            : new CheckResult.Note("Authentication-Results: mx.example.com; dkim=none\r\n", null);
                    return CompletableFuture.supplyAsync(() -> r,
                            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
                }

                @Override
                public void abandon() {
                    seen.add("abandon");
                }
            };
        }
    }

    @Test
    void aRefusalReplacesThe250AndNothingIsQueued() throws Exception {
        start(SmtpMode.MX, SmtpChecks.NONE.withData(new MarkerCheck()));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("DATA").expect("354 ");
            c.write("Subject: hi\r\n\r\nX5O EICAR-MARKER\r\n.\r\n");
            c.expect("554 5.7.1 Virus found: Test-Marker");
            // the session goes on: the next transaction is checked afresh and queued with the added field
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("DATA").expect("354 ");
            c.write("Subject: clean\r\n\r\nhello\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(1, fx.queue.entries.size());
        String stored = read(fx.queue.entries.get(0));
        assertTrue(stored.startsWith("Authentication-Results: mx.example.com; dkim=none\r\nReceived: from "), stored);
        assertTrue(stored.endsWith("Subject: clean\r\n\r\nhello\r\n"), stored);
        assertEquals("open sender@example.org -> [alice@example.com] relay=false", seen.get(0));
        // what the check saw streaming is the stored message, our Received: first, without the added field
        int streamed = Integer.parseInt(seen.get(3).replaceAll("decide streamed=(\\d+) size=\\d+", "$1"));
        assertEquals(stored.length() - "Authentication-Results: mx.example.com; dkim=none\r\n".length(), streamed);
        assertEquals("decide streamed=" + streamed + " size=" + streamed, seen.get(3));
    }

    @Test
    void theChecksReadTheOneParseWhichTravelsToTheQueueUnderTheirFields() throws Exception {
        List<MessageAttempt> attempts = new CopyOnWriteArrayList<>();
        DataCheck reading = start -> attempt -> {
            attempts.add(attempt);
            return CompletableFuture.completedFuture(new CheckResult.Note("X-Spam-Score: 1\r\n", null));
        };
        start(SmtpMode.MX, SmtpChecks.NONE.withData(new MarkerCheck()).withData(reading));
        String message = "From: a@example.org\r\nSubject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                + "--b\r\nContent-Type: text/plain\r\n\r\none\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>two</p>\r\n"
                + "--b--\r\n";
        long before = MessageParser.passes();
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.write("BDAT " + message.length() + " LAST\r\n" + message);
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(1, MessageParser.passes() - before, "parsed once at the end of data");
        MessageAttempt seenByCheck = attempts.get(0);
        assertEquals(seenByCheck.message(), seenByCheck.parsed().blob());
        assertEquals(2, seenByCheck.parsed().summary().body().parts().size());

        // queued: the blob with both checks' fields on top, its parse moved under them, as a parse of it is
        TestCollaborators.RecordingQueue.Entry e = fx.queue.entries.get(0);
        assertTrue(read(e).startsWith("Authentication-Results: mx.example.com; dkim=none\r\nX-Spam-Score: 1\r\n"),
                read(e));
        assertEquals(e.blob(), e.parsed().blob());
        ParsedMessage fresh = ParsedMessage.parse(fx.blobs, e.blob());
        assertEquals(fresh.summary(), e.parsed().summary());
        assertEquals(new String(fresh.header(), StandardCharsets.ISO_8859_1),
                new String(e.parsed().header(), StandardCharsets.ISO_8859_1));
    }

    @Test
    void theEndOfDataParseReadsTheWritersCopyInMemoryNotTheStore() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        io.mailfleet.core.blob.BlobStore counting = new io.mailfleet.core.blob.ForwardingBlobStore(fx.blobs) {
            @Override
            public InputStream open(io.mailfleet.core.blob.BlobRef ref) throws java.io.IOException {
                reads.incrementAndGet();
                return real.open(ref);
            }

            @Override
            public InputStream openRange(io.mailfleet.core.blob.BlobRef ref, long offset, long length)
                    throws java.io.IOException {
                reads.incrementAndGet();
                return real.openRange(ref, offset, length);
            }
        };
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), counting, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("DATA").expect("354 ");
            c.write("From: a@example.org\r\nSubject: in memory\r\n\r\nbody\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(0, reads.get(), "the store was read to parse what its writer still held");
        TestCollaborators.RecordingQueue.Entry e = fx.queue.entries.get(0);
        ParsedMessage fresh = ParsedMessage.parse(fx.blobs, e.blob());
        assertEquals(fresh, new ParsedMessage(e.parsed().blob(), e.parsed().summary(), fresh.header()));
        assertArrayEquals(fresh.header(), e.parsed().header());
    }

    @Test
    void messagesOfEverySizeAreStoredByteForByteThroughDataAndBdat() throws Exception {
        // the sink stages bytes in a buffer that starts small and grows before it writes them out: across
        // its sizes (and the blob writer's) every byte arrives once and in order
        start(SmtpMode.MX, SmtpChecks.NONE);
        int[] sizes = {10, 3_000, 4_100, 9_000, 17_000, 40_000};
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            for (int size : sizes) {
                String body = body(size);
                c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
                c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
                c.send("DATA").expect("354 ");
                c.write(body + ".\r\n");
                c.expect("250 2.0.0 Ok: queued as ");
                c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
                c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
                c.write("BDAT " + body.length() + " LAST\r\n" + body);
                c.expect("250 2.0.0 Ok: queued as ");
            }
        }
        assertEquals(2 * sizes.length, fx.queue.entries.size());
        for (int i = 0; i < fx.queue.entries.size(); i++) {
            String stored = read(fx.queue.entries.get(i));
            String body = body(sizes[i / 2]);
            assertTrue(stored.endsWith(body), "message " + i + " of " + body.length() + " octets");
            String added = stored.substring(0, stored.length() - body.length());
            assertTrue(added.startsWith("Received: from ") && added.endsWith("\r\n") && !added.contains("Subject:"),
                    "only our Received: field before the message: " + added);
        }
    }

    /** A header and lines of 0-9 digits, {@code size} octets or a little more, each line under 80. */
    private static String body(int size) {
        StringBuilder b = new StringBuilder("Subject: size ").append(size).append("\r\n\r\n");
        for (int n = 0; b.length() < size; n++) {
            b.append(Integer.toString(n).repeat(1 + n % 11)).append("\r\n");
        }
        return b.toString();
    }

    @Test
    void aMessageThatCannotBeParsedIsStillCheckedAndQueuedUnparsed() throws Exception {
        List<MessageAttempt> attempts = new CopyOnWriteArrayList<>();
        DataCheck reading = start -> attempt -> {
            attempts.add(attempt);
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        };
        // the store takes the message but cannot read it back, and its writer keeps no copy in memory:
        // the parse fails, nothing else does
        io.mailfleet.core.blob.BlobStore unreadable = new io.mailfleet.core.blob.ForwardingBlobStore(fx.blobs) {
            @Override
            public io.mailfleet.core.blob.BlobWriter create() throws java.io.IOException {
                return new io.mailfleet.core.blob.ForwardingBlobWriter(real.create()) {
                    @Override
                    public java.util.Optional<InputStream> committedBytes() {
                        return java.util.Optional.empty();
                    }
                };
            }

            @Override
            public InputStream open(io.mailfleet.core.blob.BlobRef ref) throws java.io.IOException {
                throw new java.io.IOException("storage unavailable for reading");
            }

            @Override
            public InputStream openRange(io.mailfleet.core.blob.BlobRef ref, long offset, long length)
                    throws java.io.IOException {
                throw new java.io.IOException("storage unavailable for reading");
            }
        };
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), unreadable, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()).withChecks(SmtpChecks.NONE.withData(reading)));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("DATA").expect("354 ");
            c.write("Subject: hi\r\n\r\nbody\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(1, attempts.size());
        assertEquals(null, attempts.get(0).parsed());
        assertEquals(1, fx.queue.entries.size());
        assertEquals(null, fx.queue.entries.get(0).parsed());
        assertTrue(read(fx.queue.entries.get(0)).endsWith("Subject: hi\r\n\r\nbody\r\n"));
    }

    @Test
    void bdatMessagesAreCheckedTooAndAResetAbandonsTheCheck() throws Exception {
        start(SmtpMode.MX, SmtpChecks.NONE.withData(new MarkerCheck()));
        String body = "Subject: chunked\r\n\r\nEICAR-MARKER\r\n";
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.write("BDAT 10\r\n" + body.substring(0, 10));
            c.expect("250 2.0.0 Ok: "); // the count includes our Received: field
            c.send("RSET").expect("250 2.0.0 Ok");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.write("BDAT " + body.length() + " LAST\r\n" + body);
            c.expect("554 5.7.1 Virus found: Test-Marker");
        }
        assertTrue(seen.contains("abandon"), seen.toString());
        assertEquals(0, fx.queue.entries.size());
    }

    @Test
    void aFailingCheckDefersTheMessageAndAMxOnlyCheckLeavesSubmissionAlone() throws Exception {
        final class Broken implements DataCheck, MxOnly {
            @Override
            public MessageCheck open(MessageStart start) {
                seen.add("broken opened");
                return attempt -> CompletableFuture.failedFuture(new IllegalStateException("scanner down"));
            }
        }
        start(SmtpMode.MX, SmtpChecks.NONE.withData(new Broken()));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
            c.send("DATA").expect("354 ");
            c.write("Subject: hi\r\n\r\nbody\r\n.\r\n");
            c.expect("451 4.3.5 Server configuration problem");
        }
        assertEquals(0, fx.queue.entries.size());
        assertEquals(List.of("broken opened"), seen);
        assertEquals(1, SmtpChecks.NONE.withData(new Broken()).forMode(SmtpMode.MX).data().size());
        assertEquals(0, SmtpChecks.NONE.withData(new Broken()).forMode(SmtpMode.SUBMISSION).data().size());
    }

    private String read(TestCollaborators.RecordingQueue.Entry e) throws Exception {
        try (InputStream in = fx.blobs.open(e.blob())) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
