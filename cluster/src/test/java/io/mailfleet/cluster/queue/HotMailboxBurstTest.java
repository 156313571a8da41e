package io.mailfleet.cluster.queue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
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
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.Dropped;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of deliveries to one account through the real queue and mailbox entities of a one-node
 * cluster: every message arrives exactly once and nothing is dropped on the way. The node's stash
 * capacity is set far below the burst (100 against 2,000), so a design that parks waiting deliveries
 * in an entity's stash overflows here, where the default capacity (4,096) would merely hide it.
 */
class HotMailboxBurstTest {

    private static final String ACCOUNT = "hot@example.com";
    private static final int MESSAGES = 2000;
    /** Enqueues in flight at once, as from 20 SMTP connections. */
    private static final int SENDERS = 20;

    @TempDir
    Path data;
    @TempDir
    Path blobDir;

    static <T> T get(CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void twoThousandDeliveriesToOneMailboxAreAllStoredAndNoneIsDropped() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(log);
        // the delivery log's INFO lines (a mailbox that "did not answer") are captured, not printed
        Logger delivery = (Logger) LoggerFactory.getLogger("io.mailfleet.delivery");
        delivery.setLevel(ch.qos.logback.classic.Level.INFO);
        delivery.setAdditive(false);
        delivery.addAppender(log);
        ActorTestKit kit = ActorTestKit.create("mailfleet", ConfigFactory
                .parseString("pekko.persistence.typed.stash-capacity = 100\n"
                        + "pekko.log-dead-letters = off\n")
                .withFallback(TestNodes.config(data)));
        FileBlobStore blobs = new FileBlobStore(blobDir);
        List<String> lost = new CopyOnWriteArrayList<>();
        try {
            ActorRef<Object> deadLetters = kit.spawn(Behaviors.receiveMessage(m -> {
                String what = m instanceof DeadLetter d ? String.valueOf(d.message())
                        : m instanceof Dropped d ? String.valueOf(d.message()) : String.valueOf(m);
                if (what.contains("Deliver") || what.contains("MailboxReply") || what.contains("Enqueue")) {
                    lost.add(what);
                }
                return Behaviors.same();
            }), "lost-messages");
            kit.system().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class, deadLetters.narrow()));
            kit.system().eventStream().tell(new EventStream.Subscribe<>(Dropped.class, deadLetters.narrow()));

            get(JournalSchema.ensure(kit.system()));
            ResolverOptions options = new ResolverOptions("+", "postmaster@example.com", ResolverOptions.DEFAULT_MAX_DEPTH);
            ClusterNode node = ClusterNode.start(kit.system(), options, blobs);
            TestNodes.awaitUp(kit.system(), 1);
            get(node.directory().apply(new DirectoryChange.AddAccount(ACCOUNT, PasswordSchemes.hash("pw"))));
            TestNodes.await(() -> node.directory().view().account(ACCOUNT).isPresent(), Duration.ofSeconds(20),
                    "account in the directory");
            BlobRef blob = write(blobs);

            Semaphore senders = new Semaphore(SENDERS);
            List<CompletableFuture<String>> accepted = new CopyOnWriteArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                senders.acquire();
                CompletableFuture<String> f = node.queue().enqueue(envelope(), blob).toCompletableFuture();
                f.whenComplete((id, err) -> senders.release());
                accepted.add(f);
            }
            for (CompletableFuture<String> f : accepted) {
                f.get(60, TimeUnit.SECONDS);
            }
            TestNodes.await(() -> node.mailboxes().messages(ACCOUNT, "INBOX").toCompletableFuture().join().size() >= MESSAGES,
                    Duration.ofMinutes(4), MESSAGES + " messages in the mailbox");
            TestNodes.await(() -> node.queue().list().toCompletableFuture().join().isEmpty(), Duration.ofSeconds(60), "queue drained");

            assertEquals(MESSAGES, get(node.mailboxes().messages(ACCOUNT, "INBOX")).size(),
                    "every message stored exactly once");
            List<String> overflow = log.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("Stash buffer is full") || m.contains("did not answer"))
                    .toList();
            assertTrue(overflow.isEmpty(), "no stash overflow and no delivery time-out: " + overflow);
            assertTrue(lost.isEmpty(), "no delivery message in dead letters: " + lost);
        } finally {
            root.detachAppender(log);
            delivery.detachAppender(log);
            delivery.setAdditive(true);
            delivery.setLevel(null);
            ActorTestKit.shutdown(kit.system(), Duration.ofSeconds(60));
            blobs.close();
        }
    }

    private static Envelope envelope() {
        return new Envelope("sender@remote.example", List.of(EnvelopeRecipient.of(ACCOUNT)), "client.example",
                "192.0.2.1", null, false, null, null, "7BIT", false, Instant.now());
    }

    private static BlobRef write(FileBlobStore store) throws Exception {
        byte[] b = "From: <sender@remote.example>\r\nSubject: burst\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        try (BlobWriter w = store.create()) {
            w.write(b, 0, b.length);
            return get(w.commit());
        }
    }
}
