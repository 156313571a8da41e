package io.mailfleet.cluster.queue;

import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.testkit.OneAccountDirectory;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes: the parse an SMTP node hands to the queue crosses Artery (Kryo) to a partition on the other
 * node, which delivers with it and makes no parser pass of its own.
 */
class ParsedEnqueueClusterTest {

    private static final String USER = "user@example.com";
    private static final int PARTITIONS = 8;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;
    @TempDir
    Path blobDir;

    @Test
    void aPartitionOnAnotherNodeDeliversWithTheParseItWasSent() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        FileBlobStore blobs = new FileBlobStore(blobDir);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterMailboxes mailboxes = ClusterMailboxes.start(a.system());
            ClusterMailboxes.start(b.system());
            ClusterMailQueue queue = start(a, blobs);
            start(b, blobs);

            // every partition placed; the ones on b are reached from a only over the wire
            queue.wakeAll();
            Set<String> onB = new HashSet<>();
            TestNodes.await(() -> {
                Set<String> onA = hosted(a);
                onB.clear();
                onB.addAll(hosted(b));
                return onA.size() + onB.size() == PARTITIONS;
            }, WAIT, "all partitions placed");
            assertFalse(onB.isEmpty(), "node b hosts partitions");

            byte[] bytes = ("From: <sender@remote.example>\r\nSubject: across\r\n"
                    + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\none\r\n--b--\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            BlobRef blob;
            try (BlobWriter w = blobs.create()) {
                w.write(bytes, 0, bytes.length);
                blob = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            ParsedMessage parse = ParsedMessage.parse(blobs, blob);
            Envelope env = new Envelope("sender@remote.example", List.of(EnvelopeRecipient.of(USER)), "client.example",
                    "192.0.2.1", null, false, null, null, "7BIT", false, Instant.now());

            long before = MessageParser.passes();
            int sent = 0;
            boolean crossed = false;
            while (!crossed && sent < 200) {
                String id = queue.enqueue(env, blob, false, parse).toCompletableFuture().get(30, TimeUnit.SECONDS);
                sent++;
                crossed = onB.contains(Integer.toString(QueueIds.partitionOf(id, PARTITIONS)));
            }
            assertTrue(crossed, "a message went to a partition on node b");
            int expected = sent;
            TestNodes.await(() -> inbox(mailboxes) == expected, WAIT, expected + " messages delivered");
            assertEquals(0, MessageParser.passes() - before, "no partition parsed the message again");
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
            blobs.close();
        }
    }

    private static ClusterMailQueue start(ActorTestKit node, FileBlobStore blobs) {
        return ClusterMailQueue.start(node.system(), new OneAccountDirectory(USER),
                new ResolverOptions("+", "postmaster@example.com", ResolverOptions.DEFAULT_MAX_DEPTH), PARTITIONS, blobs,
                OutboundPolicy.localOnly("mx.example.com"), SieveSettings.disabled(), null);
    }

    /** The queue partitions this node's shard region runs. */
    private static Set<String> hosted(ActorTestKit node) {
        TestProbe<ShardRegion.CurrentShardRegionState> probe = node.createTestProbe();
        ClusterSharding.get(node.system()).shardState().tell(new GetShardRegionState(QueuePartition.TYPE_KEY,
                probe.ref()));
        Set<String> ids = new HashSet<>();
        probe.receiveMessage(WAIT).getShards().forEach(s -> ids.addAll(s.getEntityIds()));
        return ids;
    }

    private static int inbox(ClusterMailboxes mailboxes) {
        try {
            return mailboxes.messages(USER, "INBOX").toCompletableFuture().get(10, TimeUnit.SECONDS).size();
        } catch (Exception e) {
            return -1;
        }
    }
}
