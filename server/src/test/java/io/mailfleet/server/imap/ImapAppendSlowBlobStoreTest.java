package io.mailfleet.server.imap;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.blob.ForwardingBlobStore;
import io.mailfleet.core.blob.ForwardingBlobWriter;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.testkit.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * APPEND literals reach the blob store at the store's pace and never on an event loop: while the store
 * is stalled, the session stops reading (the bytes the node holds stay bounded, the client waits) and
 * other sessions on the same event loop still answer; the message then arrives whole and in order.
 * A literal that ends early (the client leaves, the header is over the limit) aborts its blob.
 */
class ImapAppendSlowBlobStoreTest {

    private static final int LINE = 78;

    @TempDir
    Path data;
    private ImapTestNode node;
    private GatedStore store;
    private ImapServer imap;
    private final List<Wire> clients = new ArrayList<>();

    /** The node's store, whose writes wait at a gate; notes writes on an event loop, aborts and partial blobs. */
    static final class GatedStore extends ForwardingBlobStore {
        final AtomicLong stored = new AtomicLong();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile long gateAfter = Long.MAX_VALUE;
        volatile String eventLoopWrite;
        final AtomicInteger aborts = new AtomicInteger();
        /** Writers neither committed nor aborted. */
        final Set<BlobWriter> open = ConcurrentHashMap.newKeySet();

        GatedStore(BlobStore real) {
            super(real);
        }

        @Override
        public BlobWriter create() throws IOException {
            BlobWriter gated = new ForwardingBlobWriter(real.create()) {
                @Override
                public void write(ByteBuffer bytes) throws IOException {
                    if (Thread.currentThread() instanceof FastThreadLocalThread) {
                        eventLoopWrite = Thread.currentThread().getName();
                    }
                    try {
                        if (stored.get() >= gateAfter && !gate.await(120, TimeUnit.SECONDS)) {
                            throw new IOException("gate never opened");
                        }
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    int n = bytes.remaining();
                    real.write(bytes);
                    stored.addAndGet(n);
                }

                @Override
                public java.util.concurrent.CompletionStage<BlobRef> commit() {
                    open.remove(this);
                    return real.commit();
                }

                @Override
                public void abort() {
                    open.remove(this);
                    aborts.incrementAndGet();
                    real.abort();
                }

                @Override
                public void close() {
                    open.remove(this);
                    real.close();
                }
            };
            open.add(gated);
            return gated;
        }
    }

    @BeforeEach
    void start() throws Exception {
        node = ImapTestNode.start(data);
        store = new GatedStore(node.server.blobs());
        ImapServices s = node.services;
        // APPEND writes through the gated store; everything else reads the node's own
        imap = ImapServer.start(ImapTestNode.settings(), new ImapServices(s.authenticator(), s.mailboxes(), store,
                s.directory(), s.tls(), s.guard(), s.sessions(), s.headerLimits(), s.heavyWork()));
    }

    @AfterEach
    void stop() throws Exception {
        store.gate.countDown();
        for (Wire c : clients) {
            c.close();
        }
        imap.close();
        node.close();
    }

    private Wire login(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        Wire c = Wire.imap(socket);
        clients.add(c);
        assertTrue(Wire.last(c.command("l", "LOGIN user@example.com secret")).startsWith("l OK"));
        return c;
    }

    /** Line {@code i} of the body: numbered, so a lost, doubled or swapped block changes the hash. */
    private static byte[] line(long i) {
        String s = String.format("%010d ", i);
        return (s + "x".repeat(LINE - s.length()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private Channel channelOf(int clientPort) {
        for (Channel ch : imap.connections()) {
            if (ch.remoteAddress() instanceof InetSocketAddress a && a.getPort() == clientPort) {
                return ch;
            }
        }
        throw new AssertionError("no server channel for client port " + clientPort);
    }

    /** Counts the bytes the server reads from {@code ch}, at the head of its pipeline. */
    private static AtomicLong countReads(Channel ch) {
        AtomicLong read = new AtomicLong();
        ch.pipeline().addFirst("count", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                read.addAndGet(((ByteBuf) msg).readableBytes());
                ctx.fireChannelRead(msg);
            }
        });
        return read;
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void aStalledStoreHoldsTheClientBackWhileTheLoopServesOthersAndTheMessageArrivesWhole() throws Exception {
        byte[] header = "Subject: slow store\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long lines = 16L * 1024 * 1024 / (LINE + 2);
        long total = header.length + lines * (LINE + 2);
        store.gateAfter = 1024 * 1024;
        store.gate = new CountDownLatch(1);

        // connections are spread over the listener's loops in turn: enough of them share the appender's
        int connections = Runtime.getRuntime().availableProcessors() * 4 + 1;
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket("127.0.0.1", imap.port());
            sockets.add(socket);
            login(socket);
        }
        Channel appending = channelOf(sockets.get(0).getLocalPort());
        List<Wire> neighbours = new ArrayList<>();
        for (int i = 1; i < connections; i++) {
            if (channelOf(sockets.get(i).getLocalPort()).eventLoop() == appending.eventLoop()) {
                neighbours.add(clients.get(i));
            }
        }
        assertFalse(neighbours.isEmpty(), "no session shares the event loop of the appending one");

        Wire c = clients.get(0);
        AtomicLong serverRead = countReads(appending);
        c.send("a APPEND INBOX {" + total + "}");
        assertEquals("+ OK", c.line());
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        AtomicLong sent = new AtomicLong();
        AtomicReference<Throwable> sendError = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                ByteArrayOutputStream block = new ByteArrayOutputStream(70_000);
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
                c.write("\r\n");
            } catch (Throwable e) {
                sendError.set(e);
            }
        }, "imap-slow-store-test-sender");
        sender.start();

        await(() -> store.stored.get() >= store.gateAfter, "the store took its first megabyte");
        // the store takes nothing now: however long we watch, the node holds a bounded amount
        long held = 0;
        for (int i = 0; i < 40; i++) {
            Thread.sleep(100);
            held = Math.max(held, serverRead.get() - store.stored.get());
        }
        assertTrue(held < 4L * 1024 * 1024, "bytes read but not stored stay bounded: " + held);
        assertTrue(sender.isAlive() && sent.get() < total, "the client is held back: sent " + sent.get());
        // with the write on the loop, the loop would wait at the gate and these would never be answered
        for (Wire n : neighbours) {
            assertEquals("n OK NOOP completed.", Wire.last(n.command("n", "NOOP")));
        }
        assertTrue(store.stored.get() < total, "the store was still stalled while the neighbours were answered");

        store.gate.countDown();
        sender.join(TimeUnit.SECONDS.toMillis(120));
        assertFalse(sender.isAlive());
        assertNull(sendError.get());
        String tagged = Wire.last(c.untilTagged("a"));
        assertTrue(tagged.startsWith("a OK [APPENDUID "), tagged);
        assertTrue(tagged.endsWith("] Append completed."), tagged);
        assertNull(store.eventLoopWrite, "no event loop waited for the store");

        assertTrue(Wire.last(c.command("s", "SELECT INBOX")).startsWith("s OK"));
        c.send("f FETCH 1 BODY.PEEK[]");
        String first = c.line();
        assertEquals("* 1 FETCH (BODY[] {" + total + "}", first);
        byte[] body = c.bytes((int) total);
        assertEquals(HexFormat.of().formatHex(md.digest()),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
        assertEquals("f OK Fetch completed.", Wire.last(c.untilTagged("f")));
    }

    @Test
    void aClientLeavingMidLiteralEndsTheStreamAndLeavesNoBlob() throws Exception {
        Wire c = login(new Socket("127.0.0.1", imap.port()));
        c.send("a APPEND INBOX {" + (2 * 1024 * 1024) + "}");
        assertEquals("+ OK", c.line());
        c.write("Subject: gone\r\n\r\n");
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (int i = 0; block.size() < 600 * 1024; i++) {
            block.write(line(i));
        }
        c.write(block.toByteArray());
        await(() -> store.stored.get() >= 512 * 1024, "the store took the bytes sent so far");
        assertEquals(1, store.open.size(), "the message's blob is being written");
        c.close();

        await(() -> store.aborts.get() == 1, "the stream ended with the connection and discarded the blob");
        assertTrue(store.open.isEmpty(), "no partial blob is left open");
        Wire other = login(new Socket("127.0.0.1", imap.port()));
        List<String> status = other.command("s", "STATUS INBOX (MESSAGES)");
        assertEquals("* STATUS \"INBOX\" (MESSAGES 0)", status.get(0));
    }

    @Test
    void anIdleTimeoutMidLiteralEndsTheStreamAndLeavesNoBlob() throws Exception {
        ImapServices s = node.services;
        ImapServer quick = ImapServer.start(ImapTestNode.settings().withIdleTimeout(java.time.Duration.ofSeconds(1)),
                new ImapServices(s.authenticator(), s.mailboxes(), store, s.directory(), s.tls(), s.guard(),
                        s.sessions(), s.headerLimits(), s.heavyWork()));
        try {
            Wire c = login(new Socket("127.0.0.1", quick.port()));
            c.send("a APPEND INBOX {" + (1024 * 1024) + "}");
            assertEquals("+ OK", c.line());
            c.write("Subject: stalled\r\n\r\n");
            c.write(line(0));
            await(() -> store.stored.get() > 0, "the store took the first bytes");
            // the client stops sending: the session says goodbye and drops the message
            assertEquals("* BYE Disconnected for inactivity.", c.line());
            await(() -> store.aborts.get() == 1, "the half-received message's blob is discarded");
            assertTrue(store.open.isEmpty(), "no partial blob is left open");
        } finally {
            quick.close();
        }
    }

    @Test
    void aHeaderOverTheLimitAbortsTheStreamAndAnswersAsBefore() throws Exception {
        Wire c = login(new Socket("127.0.0.1", imap.port()));
        String message = "Subject: " + "y".repeat(2000) + "\r\n\r\nbody\r\n";
        List<String> r = c.command("a", "APPEND INBOX {" + message.length() + "+}\r\n" + message);
        assertEquals("a NO [LIMIT] Message header size exceeds limit", Wire.last(r));
        await(() -> store.aborts.get() == 1, "the refused message's blob is discarded");
        assertTrue(store.open.isEmpty(), "no partial blob is left open");
        // the connection goes on reading commands after the dropped rest of the literal
        assertEquals("n OK NOOP completed.", Wire.last(c.command("n", "NOOP")));
    }
}
