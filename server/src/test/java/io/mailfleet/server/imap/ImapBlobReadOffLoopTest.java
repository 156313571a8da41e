package io.mailfleet.server.imap;

import io.mailfleet.testkit.Wire;
import io.mailfleet.server.SlowS3;
import io.mailfleet.persistence.blob.S3BlobStore;
import io.mailfleet.protocols.imap.ImapServer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob reads never run on a Netty event loop: with the S3 blob store behind a proxy that holds every
 * GET for 500 ms, sessions on the event loop of a session FETCHing message bodies answer NOOP in
 * under 50 ms all the while (on the loop, every GET would stall them for 500 ms).
 */
class ImapBlobReadOffLoopTest {

    private static final long GET_DELAY_MS = 500;
    private static final int MESSAGES = 3;
    /** The bound the issue sets for a NOOP on the loop of a slow FETCH. */
    private static final long NOOP_BOUND_MS = 50;

    @TempDir
    Path data;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closing);
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void sessionsOnTheLoopOfASlowFetchAnswerNoopAtOnce() throws Exception {
        SlowS3 slow = new SlowS3(GET_DELAY_MS);
        closing.add(slow);
        ImapTestNode node = ImapTestNode.start(data, slow.env());
        closing.add(node);
        assertInstanceOf(S3BlobStore.class, node.server.blobs());
        ImapServer imap = node.listen(ImapTestNode.settings());

        // Connections are spread over the listener's loops in turn: enough of them puts several on
        // the loop of the first, which will FETCH.
        int connections = Runtime.getRuntime().availableProcessors() * 4 + 1;
        List<Wire> clients = new ArrayList<>();
        List<Integer> localPorts = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = new Socket("127.0.0.1", imap.port());
            socket.setSoTimeout(30_000);
            Wire c = Wire.imap(socket);
            closing.add(c);
            clients.add(c);
            localPorts.add(socket.getLocalPort());
            assertTrue(Wire.last(c.command("l", "LOGIN user@example.com secret")).startsWith("l OK"));
        }
        EventLoop fetchLoop = loopOf(imap, localPorts.get(0));
        List<Wire> neighbours = new ArrayList<>();
        for (int i = 1; i < connections; i++) {
            if (loopOf(imap, localPorts.get(i)) == fetchLoop) {
                neighbours.add(clients.get(i));
            }
        }
        assertFalse(neighbours.isEmpty(), "no session shares the event loop of the fetching one");

        Wire fetcher = clients.get(0);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            String body = "Subject: message " + i + "\r\n\r\n" + ("line " + i + " of a message body\r\n").repeat(2000);
            bodies.add(body);
            assertTrue(Wire.last(fetcher.command("a" + i, "APPEND INBOX {" + body.length() + "+}\r\n" + body))
                    .startsWith("a" + i + " OK"));
        }
        assertTrue(Wire.last(fetcher.command("s", "SELECT INBOX")).startsWith("s OK"));
        // The neighbours select nothing: their NOOP is answered by the loop alone, without asking the
        // mailbox, so its time is the time the loop takes to get to it.
        for (Wire n : neighbours) {
            for (int i = 0; i < 5; i++) {
                noopMillis(n);
            }
        }

        int getsBefore = slow.delayedGets();
        long fetchStart = System.nanoTime();
        // per message one GET for the header fields, one for the body: each held 500 ms by the proxy
        CompletableFuture<List<String>> fetched = CompletableFuture.supplyAsync(() -> {
            try {
                return fetcher.command("f", "FETCH 1:" + MESSAGES + " (BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[])");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100); // the FETCH is under way (its first GET is held for 500 ms)
        List<Long> during = new ArrayList<>();
        while (!fetched.isDone()) {
            for (Wire n : neighbours) {
                boolean fetching = !fetched.isDone();
                long ms = noopMillis(n);
                if (fetching) {
                    during.add(ms);
                }
            }
            Thread.sleep(20);
        }
        List<String> response = fetched.get(60, TimeUnit.SECONDS);
        long fetchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fetchStart);

        assertEquals("f OK Fetch completed.", Wire.last(response), response.toString());
        assertEquals(MESSAGES + 1, response.size(), response.toString());
        for (int i = 0; i < MESSAGES; i++) {
            String r = response.get(i);
            assertTrue(r.startsWith("* " + (i + 1) + " FETCH (BODY[HEADER.FIELDS (SUBJECT)] {"), r.substring(0, 80));
            assertTrue(r.contains("Subject: message " + i + "\r\n\r\n BODY[] {" + bodies.get(i).length() + "}\r\n"
                    + bodies.get(i) + ")"), "body of message " + (i + 1) + " differs");
        }
        assertTrue(slow.delayedGets() - getsBefore >= 2 * MESSAGES, "the FETCH did not read through the proxy");
        assertTrue(fetchMillis >= 2 * MESSAGES * GET_DELAY_MS * 9 / 10, "FETCH took only " + fetchMillis + " ms");

        // Typically under the bound, never held for a GET: on the loop, the FETCH's reads would hold a
        // NOOP for seconds. A shared machine delays some NOOPs now and then, so the bound is on the
        // median, and the worst is compared with the reads the FETCH waited for.
        assertFalse(during.isEmpty(), "no NOOP during the FETCH");
        List<Long> sorted = new ArrayList<>(during);
        Collections.sort(sorted);
        assertTrue(sorted.get(sorted.size() / 2) < NOOP_BOUND_MS, "NOOPs on the fetching session's loop took "
                + during + " ms");
        assertTrue(sorted.get(sorted.size() - 1) < 2 * GET_DELAY_MS, "a NOOP waited: " + during + " ms");
    }

    private static long noopMillis(Wire c) throws Exception {
        long start = System.nanoTime();
        List<String> r = c.command("n", "NOOP");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("n OK NOOP completed.", Wire.last(r), r.toString());
        return ms;
    }

    private static EventLoop loopOf(ImapServer imap, int clientPort) {
        for (Channel ch : imap.connections()) {
            if (ch.remoteAddress() instanceof InetSocketAddress a && a.getPort() == clientPort) {
                return ch.eventLoop();
            }
        }
        throw new AssertionError("no server channel for client port " + clientPort);
    }
}
