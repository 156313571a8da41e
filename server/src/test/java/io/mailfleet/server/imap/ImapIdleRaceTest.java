package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mailbox.MailboxService;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A change told to an IDLE session while its previous reconciliation is still out must still reach
 * the client: the session's request for changes is held back (through a service that delays the
 * answer) while a second message arrives, and the client must then hear of both.
 */
class ImapIdleRaceTest {

    @TempDir
    Path data;

    @Test
    void aChangeDuringAReconciliationIsNotLost() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("MAILFLEET_BLOB_GC_INTERVAL", "0"));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        AtomicBoolean holdNext = new AtomicBoolean();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false));
             TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none())) {
            MailboxService real = new ClusterMailboxService(server.system(), server.blobs(), executor);
            // the next changesSince answers with what is true when it is asked, but only once released
            MailboxService slow = (MailboxService) Proxy.newProxyInstance(MailboxService.class.getClassLoader(),
                    new Class<?>[]{MailboxService.class}, (proxy, method, args) -> {
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (method.getName().equals("changesSince") && holdNext.compareAndSet(true, false)) {
                            held.countDown();
                            CompletableFuture<Object> later = new CompletableFuture<>();
                            ((CompletionStage<?>) result).whenComplete((v, err) -> executor.execute(() -> {
                                try {
                                    release.await(30, TimeUnit.SECONDS);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                if (err != null) {
                                    later.completeExceptionally(err);
                                } else {
                                    later.complete(v);
                                }
                            }));
                            return later;
                        }
                        return result;
                    });
            ImapServer imap = ImapServer.start(ImapSettings.defaults(0, false, "mail.example.com")
                    .withBind("127.0.0.1", 0).withPlaintextOnLoopback(true), new ImapServices(
                    new DirectoryAuthenticator(server.node().directory(), executor), slow, server.blobs(),
                    server.node().directory(), tls));
            try (Wire c = Wire.imap(imap.port())) {
                assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
                assertTrue(c.command("S", "SELECT INBOX").contains("* 0 EXISTS"));
                c.write("I IDLE\r\n");
                assertEquals("+ idling", c.line());

                holdNext.set(true);
                deliver(server, "first", 1);
                assertTrue(held.await(20, TimeUnit.SECONDS), "the session asked for the first change");
                deliver(server, "second", 2); // told to the session while its request is held
                release.countDown();

                List<String> seen = new ArrayList<>();
                while (!seen.contains("* 2 EXISTS")) {
                    seen.add(c.imapResponse()); // times out (failing the test) if the second is never told
                }
                c.write("DONE\r\n");
                assertTrue(Wire.last(c.untilTagged("I")).startsWith("I OK"));
            } finally {
                imap.close();
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static void deliver(MailfleetServer server, String id, long expectedUid) throws Exception {
        byte[] message = ("Subject: " + id + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        BlobRef ref;
        try (BlobWriter w = server.blobs().create()) {
            w.write(message, 0, message.length);
            ref = w.commit().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        MailboxEntity.Delivered d = ClusterSharding.get(server.system())
                .entityRefFor(MailboxEntity.TYPE_KEY, "user@example.com")
                .<MailboxEntity.Delivered>ask(r -> new MailboxEntity.Deliver("race-" + id, "INBOX", ref, Instant.now(),
                        Set.of(), null, r), Duration.ofSeconds(20))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(expectedUid, d.uid());
    }
}
