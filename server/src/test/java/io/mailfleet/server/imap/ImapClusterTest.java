package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two cluster nodes in one JVM on a shared journal and blob store: an IDLE session on node A is woken
 * by a queue-style delivery made through node B and by an APPEND on node B's IMAP listener, for a
 * mailbox entity that runs on node B (so the change notification crosses the network).
 */
class ImapClusterTest {

    @TempDir
    Path data;

    @Test
    void idleOnNodeAIsWokenByDeliveryAndAppendThroughNodeB() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        FileBlobStore blobs = BlobStores.filesystem(data);
        TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none());
        ImapServer imapA = null;
        ImapServer imapB = null;
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterMailboxes.start(a.system());
            ClusterMailboxes.start(b.system());
            ClusterDirectoryService dirA = ClusterDirectoryService.start(a.system());
            ClusterDirectoryService dirB = ClusterDirectoryService.start(b.system());

            String account = accountHostedOn(b.system());
            dirA.apply(new DirectoryChange.AddAccount(account, PasswordSchemes.hash("pw")))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            TestNodes.await(() -> dirB.view().account(account).isPresent(), Duration.ofSeconds(20),
                    "account replicated to node B");

            ImapSettings settings = ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0);
            imapA = ImapServer.start(settings, new ImapServices(new DirectoryAuthenticator(dirA, executor),
                    new ClusterMailboxService(a.system(), blobs, executor), blobs, dirA, tls));
            imapB = ImapServer.start(settings, new ImapServices(new DirectoryAuthenticator(dirB, executor),
                    new ClusterMailboxService(b.system(), blobs, executor), blobs, dirB, tls));

            try (Wire idle = Wire.imap(imapA.port()); Wire onB = Wire.imap(imapB.port())) {
                assertTrue(Wire.last(idle.command("l", "LOGIN " + account + " pw")).startsWith("l OK"));
                assertTrue(idle.command("s", "SELECT INBOX").contains("* 0 EXISTS"));
                idle.write("i IDLE\r\n");
                assertEquals("+ idling", idle.line());

                long start = System.nanoTime();
                MailboxEntity.Delivered d = deliverThrough(b.system(), blobs, account);
                assertEquals(1, d.uid());
                assertEquals("* 1 EXISTS", idle.imapResponse());
                assertEquals("* 1 RECENT", idle.imapResponse());
                System.out.printf("cross-node IDLE wake-up after delivery through node B: %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);

                assertTrue(Wire.last(onB.command("l", "LOGIN " + account + " pw")).startsWith("l OK"));
                start = System.nanoTime();
                List<String> appended = onB.command("a", "APPEND INBOX (\\Seen) {24+}\r\nSubject: via B\r\n\r\nhello\r\n");
                assertTrue(Wire.last(appended).startsWith("a OK [APPENDUID "), appended.toString());
                assertEquals("* 2 EXISTS", idle.imapResponse());
                assertEquals("* 2 RECENT", idle.imapResponse());
                System.out.printf("cross-node IDLE wake-up after APPEND on node B: %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);

                assertTrue(onB.command("s", "SELECT INBOX").contains("* 2 EXISTS"));
                assertTrue(Wire.last(onB.command("st", "STORE 2 +FLAGS (\\Deleted)")).startsWith("st OK"));
                assertTrue(Wire.last(onB.command("x", "EXPUNGE")).startsWith("x OK"));
                // The flag change may or may not be seen before the expunge, depending on timing.
                String next = idle.imapResponse();
                if (next.startsWith("* 2 FETCH")) {
                    assertEquals("* 2 FETCH (UID 2 FLAGS (\\Deleted \\Seen \\Recent))", next);
                    next = idle.imapResponse();
                }
                assertEquals("* 2 EXPUNGE", next);

                idle.write("DONE\r\n");
                assertTrue(Wire.last(idle.untilTagged("i")).startsWith("i OK"));
                String flags = String.join("|", idle.command("f", "FETCH 1 (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])"));
                assertTrue(flags.contains("\\Recent") && flags.contains("Subject: from B"), flags);
            }
        } finally {
            if (imapA != null) {
                imapA.close();
            }
            if (imapB != null) {
                imapB.close();
            }
            tls.close();
            b.shutdownTestKit();
            a.shutdownTestKit();
            blobs.close();
            executor.shutdownNow();
        }
    }

    /** The first of a few candidate accounts whose mailbox entity sharding placed on {@code node}. */
    private static String accountHostedOn(ActorSystem<?> node) throws Exception {
        ClusterSharding sharding = ClusterSharding.get(node);
        for (int i = 0; i < 64; i++) {
            String candidate = "user" + i + "@example.com";
            sharding.entityRefFor(MailboxEntity.TYPE_KEY, candidate)
                    .<MailboxEntity.Status>ask(MailboxEntity.GetStatus::new, Duration.ofSeconds(20))
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            ShardRegion.CurrentShardRegionState state = AskPattern
                    .<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
                            reply -> new GetShardRegionState(MailboxEntity.TYPE_KEY, reply), Duration.ofSeconds(10),
                            node.scheduler())
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            for (ShardRegion.ShardState shard : state.getShards()) {
                if (shard.getEntityIds().contains(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError("no candidate account landed on node " + node.address());
    }

    private static MailboxEntity.Delivered deliverThrough(ActorSystem<?> node, FileBlobStore blobs, String account)
            throws Exception {
        BlobWriter w = blobs.create();
        byte[] message = "Subject: from B\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        w.write(message, 0, message.length);
        BlobRef ref = w.commit().toCompletableFuture().get(20, TimeUnit.SECONDS);
        MailboxEntity.Delivered d = ClusterSharding.get(node).entityRefFor(MailboxEntity.TYPE_KEY, account)
                .<MailboxEntity.Delivered>ask(r -> new MailboxEntity.Deliver("cluster-test-1", "INBOX", ref,
                        Instant.now(), Set.of(), null, r), Duration.ofSeconds(20))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertNotNull(d);
        return d;
    }
}
