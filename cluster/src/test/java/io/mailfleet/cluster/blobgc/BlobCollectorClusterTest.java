package io.mailfleet.cluster.blobgc;

import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Blob collection on a two-node cluster sharing one blob directory: the mark reaches mailboxes and
 * queue partitions on both nodes, so delivered mail and a remote message still queued keep their
 * bytes, and only orphans written through either node are deleted.
 */
class BlobCollectorClusterTest {

    @TempDir
    Path data;
    @TempDir
    Path shared;

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void theMarkCoversEntitiesOnBothNodes() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        FileBlobStore blobsA = FileBlobStore.shared(shared, 1);
        FileBlobStore blobsB = FileBlobStore.shared(shared, 2);
        try {
            get(JournalSchema.ensure(a.system()));
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ResolverOptions options = new ResolverOptions("+", "postmaster@example.com", ResolverOptions.DEFAULT_MAX_DEPTH);
            ClusterNode nodeA = ClusterNode.start(a.system(), options, blobsA);
            ClusterNode nodeB = ClusterNode.start(b.system(), options, blobsB);
            String hash = PasswordSchemes.hash("pw");
            int accounts = 12;
            for (int i = 0; i < accounts; i++) {
                get(nodeA.directory().apply(new DirectoryChange.AddAccount("u" + i + "@example.com", hash)));
            }
            TestNodes.await(() -> nodeB.directory().view().account("u" + (accounts - 1) + "@example.com").isPresent(),
                    Duration.ofSeconds(20), "accounts replicated to node B");

            List<BlobRef> delivered = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                ClusterNode via = i % 2 == 0 ? nodeA : nodeB;
                BlobRef ref = write(i % 2 == 0 ? blobsA : blobsB, "message " + i);
                get(via.queue().enqueue(envelope("u" + i + "@example.com"), ref));
                delivered.add(ref);
            }
            BlobRef remote = write(blobsA, "to a remote domain");
            get(nodeA.queue().enqueue(envelope("someone@remote.example"), remote));
            for (int i = 0; i < accounts; i++) {
                String account = "u" + i + "@example.com";
                TestNodes.await(() -> nodeB.mailboxes().messages(account, "INBOX").toCompletableFuture().join().size() == 1,
                        Duration.ofSeconds(20), "delivery to " + account);
            }
            List<BlobRef> orphans = List.of(write(blobsA, "orphan on A"), write(blobsB, "orphan on B"));

            Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC);
            BlobCollector onB = new BlobCollector(b.system(), blobsB, Duration.ofDays(1), Duration.ofSeconds(30), later);
            BlobCollector.Report report = get(onB.run(false));
            assertEquals(orphans.size(), report.deleted(), report.toString());
            assertEquals(accounts, report.mailboxes(), report.toString());
            assertTrue(report.referenced() >= accounts + 1, report.toString());
            // (asked of the store that deleted them: another node learns of a delete when it next lists)
            for (BlobRef orphan : orphans) {
                assertFalse(blobsB.exists(orphan), "orphan " + orphan.id() + " deleted");
            }
            for (BlobRef ref : delivered) {
                assertTrue(blobsA.exists(ref), "delivered message " + ref.id() + " kept");
            }
            assertTrue(blobsB.exists(remote), "the queued remote message keeps its bytes");
        } finally {
            // both nodes run the whole queue and directory: leaving takes longer than the kit's default 10 s
            ActorTestKit.shutdown(b.system(), Duration.ofSeconds(60));
            ActorTestKit.shutdown(a.system(), Duration.ofSeconds(60));
            blobsA.close();
            blobsB.close();
        }
    }

    private static Envelope envelope(String rcpt) {
        return new Envelope("sender@remote.example", List.of(EnvelopeRecipient.of(rcpt)), "client.example",
                "192.0.2.1", null, false, null, null, "7BIT", false, Instant.now());
    }

    private static BlobRef write(FileBlobStore store, String subject) throws Exception {
        byte[] b = ("From: <sender@remote.example>\r\nSubject: " + subject + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (BlobWriter w = store.create()) {
            w.write(b, 0, b.length);
            return get(w.commit());
        }
    }
}
