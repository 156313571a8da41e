package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.ForwardingBlobStore;
import io.mailfleet.core.blob.ForwardingBlobWriter;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DATA and BDAT bytes reach the blob store at the store's pace: while the store is behind, the
 * session stops reading, so the bytes the node holds stay bounded and the client waits; no event
 * loop waits for the store; and the message arrives whole and in order.
 */
class SmtpSlowBlobStoreTest {

    private static final int LINE = 78;

    @TempDir
    Path dir;
    private FileBlobStore files;
    private SlowStore store;
    private TlsContextProvider tls;
    private final TestCollaborators.RecordingQueue queue = new TestCollaborators.RecordingQueue();
    private SmtpServer server;

    /** A real file store whose writes wait at a gate (and take a pause); notes any write on an event loop. */
    static final class SlowStore extends ForwardingBlobStore {
        final AtomicLong stored = new AtomicLong();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile long gateAfter = Long.MAX_VALUE;
        volatile long pauseMillis;
        volatile String eventLoopWrite;
        final java.util.concurrent.atomic.AtomicInteger aborts = new java.util.concurrent.atomic.AtomicInteger();

        SlowStore(FileBlobStore real) {
            super(real);
        }

        @Override
        public BlobWriter create() throws IOException {
            return new ForwardingBlobWriter(real.create()) {
                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    if (Thread.currentThread() instanceof FastThreadLocalThread) {
                        eventLoopWrite = Thread.currentThread().getName();
                    }
                    try {
                        if (stored.get() >= gateAfter && !gate.await(120, TimeUnit.SECONDS)) {
                            throw new IOException("gate never opened");
                        }
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis);
                        }
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    int n = bytes.remaining();
                    real.write(bytes);
                    stored.addAndGet(n);
                }

                @Override
                public void abort() {
                    aborts.incrementAndGet();
                    real.abort();
                }
            };
        }
    }

    @BeforeEach
    void start() throws IOException {
        files = new FileBlobStore(dir.resolve("blobs"));
        store = new SlowStore(files);
        tls = TlsContextProvider.start(TlsSettings.none());
        server = SmtpServer.start(SmtpFixture.custom(SmtpMode.MX, 256L * 1024 * 1024, Duration.ofSeconds(300),
                        BareNewlinePolicy.REJECT, false, List.of()),
                new SmtpServices(TestCollaborators.directory(), TestCollaborators.authenticator(), store, queue,
                        TestCollaborators.usage(), tls));
    }

    @AfterEach
    void stop() {
        server.close();
        tls.close();
        files.close();
    }

    /** Line {@code i} of the body: numbered, so a lost, doubled or swapped block changes the hash. */
    private static byte[] line(long i) {
        String s = String.format("%010d ", i);
        return (s + "x".repeat(LINE - s.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Counts the bytes the server reads from the socket, at the head of the connection's pipeline. */
    private AtomicLong countServerReads() throws InterruptedException {
        AtomicLong read = new AtomicLong();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.connections().isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Channel ch = server.connections().iterator().next();
        ch.pipeline().addFirst("count", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                read.addAndGet(((ByteBuf) msg).readableBytes());
                ctx.fireChannelRead(msg);
            }
        });
        return read;
    }

    private static String sha256(InputStream in, long skip) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        in.skipNBytes(skip);
        byte[] b = new byte[64 * 1024];
        int n;
        while ((n = in.read(b)) > 0) {
            md.update(b, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void aStalledStoreHoldsTheClientBackAndTheMessageArrivesWhole() throws Exception {
        byte[] header = "Subject: slow store\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long lines = 16L * 1024 * 1024 / (LINE + 2);
        long bodyBytes = header.length + lines * (LINE + 2);
        store.gateAfter = 1024 * 1024;
        store.gate = new CountDownLatch(1);
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            AtomicLong serverRead = countServerReads();
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");

            MessageDigest md = MessageDigest.getInstance("SHA-256");
            AtomicLong sent = new AtomicLong();
            AtomicReference<Throwable> sendError = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    java.io.ByteArrayOutputStream block = new java.io.ByteArrayOutputStream(70_000);
                    md.update(header);
                    block.write(header);
                    for (long i = 0; i < lines; i++) {
                        byte[] l = line(i);
                        md.update(l);
                        block.write(l);
                        if (block.size() >= 64 * 1024 || i == lines - 1) {
                            c.write(block.toByteArray());
                            sent.addAndGet(block.size());
                            block.reset();
                        }
                    }
                    c.write(".\r\n");
                } catch (Throwable e) {
                    sendError.set(e);
                }
            }, "slow-store-test-sender");
            sender.start();

            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.stored.get() < store.gateAfter && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(store.stored.get() >= store.gateAfter, "the store took its first megabyte");
            // the store now takes nothing: however long we watch, the node holds a bounded amount
            long held = 0;
            for (int i = 0; i < 40; i++) {
                Thread.sleep(100);
                held = Math.max(held, serverRead.get() - store.stored.get());
            }
            assertTrue(held < 4L * 1024 * 1024, "bytes read but not stored stay bounded: " + held);
            assertTrue(sender.isAlive() && sent.get() < bodyBytes, "the client is held back: sent " + sent.get());

            store.gate.countDown();
            sender.join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(sender.isAlive());
            assertEquals(null, sendError.get());
            c.expect("250 2.0.0 Ok: queued as");
            assertEquals(null, store.eventLoopWrite, "no event loop waited for the store");

            assertEquals(1, queue.entries.size());
            BlobRef ref = queue.entries.get(0).blob();
            long stored = ref.size();
            try (InputStream in = files.open(ref)) {
                byte[] head = in.readNBytes(9);
                assertEquals("Received:", new String(head, StandardCharsets.US_ASCII));
            }
            try (InputStream in = files.open(ref)) {
                assertEquals(HexFormat.of().formatHex(md.digest()), sha256(in, stored - bodyBytes));
            }
        }
    }

    @Test
    void bdatChunksThroughASlowStoreArriveWholeAndOffTheEventLoop() throws Exception {
        store.pauseMillis = 1;
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0, n = 0; i < body.length; i++) {
            // CRLF lines of varying length, so the content is a valid message for MessageSink
            body[i] = (byte) (i % 100 == 98 ? '\r' : i % 100 == 99 ? '\n' : 'a' + (n++ % 26));
        }
        byte[] header = "Subject: chunks\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, body, 0, header.length);
        body[body.length - 2] = '\r';
        body[body.length - 1] = '\n';
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            int first = 1_000_000;
            int second = 1_500_000;
            c.write(("BDAT " + first + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.write(java.util.Arrays.copyOfRange(body, 0, first));
            c.expect("250 2.0.0 Ok: ");
            c.write(("BDAT " + second + "\r\n").getBytes(StandardCharsets.US_ASCII));
            c.write(java.util.Arrays.copyOfRange(body, first, first + second));
            c.expect("250 2.0.0 Ok: ");
            c.write(("BDAT " + (body.length - first - second) + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
            c.write(java.util.Arrays.copyOfRange(body, first + second, body.length));
            c.expect("250 2.0.0 Ok: queued as");
        }
        assertEquals(null, store.eventLoopWrite, "no event loop waited for the store");
        BlobRef ref = queue.entries.get(0).blob();
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = files.open(ref)) {
            assertEquals(HexFormat.of().formatHex(md.digest(body)), sha256(in, ref.size() - body.length));
        }
    }

    @Test
    void aClientLeavingWhileTheStoreIsBehindLeavesNothingQueued() throws Exception {
        store.gateAfter = 256 * 1024;
        store.gate = new CountDownLatch(1);
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: gone\r\n\r\n");
            byte[] block = new byte[64 * 1024];
            for (int i = 0; i < block.length; i++) {
                block[i] = (byte) (i % 80 == 78 ? '\r' : i % 80 == 79 ? '\n' : 'q');
            }
            for (int i = 0; i < 16; i++) {
                c.write(block);
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.stored.get() < store.gateAfter && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(store.stored.get() >= store.gateAfter, "the store took its first bytes");
        }
        // the session reads no further while the store is behind; it sees the close once it catches up
        store.gate.countDown();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.aborts.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, store.aborts.get(), "the half-received message is discarded in the store");
        assertTrue(queue.entries.isEmpty());
    }

    /** Files the store holds: committed blobs and partial ones in its spill directory. */
    private long filesLeft() throws IOException {
        long[] n = {0};
        files.list(Instant.now().plusSeconds(3600), b -> n[0]++);
        try (java.util.stream.Stream<Path> tmp = java.nio.file.Files.list(dir.resolve("blobs").resolve("tmp"))) {
            return n[0] + tmp.count();
        }
    }

    private static byte[] lines(int bytes) {
        byte[] block = new byte[bytes];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i % 80 == 78 ? '\r' : i % 80 == 79 ? '\n' : 'q');
        }
        return block;
    }

    @Test
    void aClientLeavingMidDataEndsTheMessageStreamAndLeavesNoBlob() throws Exception {
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: gone\r\n\r\n");
            c.write(lines(600 * 1024));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.stored.get() < 512 * 1024 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(store.stored.get() >= 512 * 1024, "the store took the bytes sent so far");
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (store.aborts.get() == 0 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(1, store.aborts.get(), "the stream ended with the connection and discarded the blob");
        assertEquals(0, filesLeft(), "nothing of the half-received message stays in the store");
        assertTrue(queue.entries.isEmpty());
    }

    @Test
    void anIdleTimeoutMidDataEndsTheMessageStream() throws Exception {
        SmtpServer quick = SmtpServer.start(SmtpFixture.custom(SmtpMode.MX, 256L * 1024 * 1024, Duration.ofSeconds(1),
                        BareNewlinePolicy.REJECT, false, List.of()),
                new SmtpServices(TestCollaborators.directory(), TestCollaborators.authenticator(), store, queue,
                        TestCollaborators.usage(), tls));
        try (Wire c = Wire.smtp(quick.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: stalled\r\n\r\n");
            c.write(lines(300 * 1024));
            // the client stops sending: the session says goodbye and drops the message
            c.expect("421 4.4.2 ");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.aborts.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(1, store.aborts.get(), "the idle session cancelled its stream and discarded the blob");
            assertEquals(0, filesLeft());
            assertTrue(queue.entries.isEmpty());
        } finally {
            quick.close();
        }
    }

    @Test
    void aRefusedMessageEndsItsStreamAndLeavesNoBlob() throws Exception {
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<a@example.org>").expect("250");
            c.send("RCPT TO:<alice@example.com>").expect("250");
            c.send("DATA").expect("354");
            c.write("Subject: refused\r\n\r\nbare\nline\r\n");
            c.write(lines(300 * 1024));
            c.send(".").expect("550 5.5.2 Error: bare <LF> received");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (store.aborts.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertEquals(1, store.aborts.get(), "the refused message's stream ended and discarded the blob");
            assertEquals(0, filesLeft());
            c.send("NOOP").expect("250");
        }
        assertTrue(queue.entries.isEmpty());
    }
}
