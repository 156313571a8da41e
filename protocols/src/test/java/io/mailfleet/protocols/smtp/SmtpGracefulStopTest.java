package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A graceful stop (a node leaving its cluster in a rolling restart) lets every transaction whose data
 * was sent finish with its reply, so no client retries an accepted message elsewhere (a duplicate),
 * and tells idle sessions 421 at once.
 */
class SmtpGracefulStopTest {

    @TempDir
    Path dir;

    /** Holds the first enqueue until released; every enqueue is recorded once it completes. */
    private static final class GatedQueue implements MailQueue {
        final CompletableFuture<Void> reached = new CompletableFuture<>();
        final CompletableFuture<Void> release = new CompletableFuture<>();
        final List<String> enqueued = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<String> enqueue(Envelope envelope, BlobRef message) {
            String id = "Q" + (enqueued.size() + 1) + "-" + message.id();
            CompletableFuture<Void> gate = reached.complete(null) ? release : CompletableFuture.completedFuture(null);
            return gate.thenApplyAsync(v -> {
                enqueued.add(id);
                return id;
            });
        }
    }

    @Test
    void closeAnswersPendingAndInFlightTransactionsThenSays421AndCutsOffOnlyTheStuck() throws Exception {
        GatedQueue queue = new GatedQueue();
        try (FileBlobStore blobs = new FileBlobStore(dir.resolve("blobs"));
             TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none())) {
            SmtpServer server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(
                    TestCollaborators.directory(), TestCollaborators.authenticator(), blobs, queue,
                    TestCollaborators.usage(), tls));
            int port = server.port();
            CompletableFuture<Void> closed = null;
            try (Wire idle = open(port); Wire pending = open(port);
                 Wire sending = open(port); Wire stuck = open(port)) {
                idle.send("EHLO client.example").expect("250");
                startData(pending);
                pending.write("Subject: pending\r\n\r\nits enqueue is still running when the server stops\r\n.\r\n");
                queue.reached.get(20, TimeUnit.SECONDS);
                startData(sending);
                sending.write("Subject: in flight\r\n\r\nfirst half, ");
                startData(stuck);
                stuck.write("Subject: never ends\r\n\r\nthis client never sends the final dot");

                closed = CompletableFuture.runAsync(server::close);
                idle.expect("421 4.3.2 " + SmtpFixture.HOST + " Service shutting down");
                assertTrue(idle.closedByServer(), "an idle session is closed after its 421");
                assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                        "a stopping server accepts no new connection");

                sending.write("second half\r\n.\r\n");
                sending.expect("250 2.0.0 Ok: queued as ");
                sending.expect("421 4.3.2");
                queue.release.complete(null);
                pending.expect("250 2.0.0 Ok: queued as ");
                pending.expect("421 4.3.2");
                assertTrue(pending.closedByServer());

                closed.get(30, TimeUnit.SECONDS);
                assertTrue(stuck.closedByServer(), "a session still in DATA after the drain time is cut off");
                assertEquals(2, queue.enqueued.size(), "exactly the two answered messages are queued: " + queue.enqueued);
            } finally {
                if (closed == null) {
                    server.close();
                }
            }
        }
    }

    private static Wire open(int port) throws Exception {
        Wire c = Wire.smtp(port);
        c.expect("220 " + SmtpFixture.HOST + " ESMTP");
        return c;
    }

    private static void startData(Wire c) throws Exception {
        c.send("EHLO client.example").expect("250");
        c.send("MAIL FROM:<someone@remote.example>").expect("250");
        c.send("RCPT TO:<alice@example.com>").expect("250");
        c.send("DATA").expect("354");
    }
}
