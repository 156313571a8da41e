package io.mailfleet.cluster.mailbox;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.blob.BlobRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MailboxEntity} deliveries on Pekko's in-memory persistence test kit: deliveries that arrive
 * while a write is in flight become one write, every sender is answered after it, and a delivery id
 * seen before (in the journal or in the same batch) is answered with its uid without a second copy.
 */
class MailboxEntityBatchingTest {

    private static final String ACCOUNT = "hot@example.com";
    private static final BlobRef BLOB = new BlobRef("0000000000000abcdefghjkmnp", 100, "ab".repeat(32));

    @TempDir
    Path data;

    private ActorTestKit kit;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        // the entity publishes quota usage through Distributed Data, which needs a cluster member
        TestNodes.join(kit.system(), kit.system());
        TestNodes.awaitUp(kit.system(), 1);
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static MailboxEntity.Deliver deliver(String id, String folder, ActorRef<MailboxEntity.Delivered> to) {
        return new MailboxEntity.Deliver(id, folder, BLOB, Instant.now(), Set.of(), null, to);
    }

    @Test
    void oneDeliveryIsOneWriteAndARepeatedDeliveryIdChangesNothing() {
        EventSourcedBehaviorTestKit<MailboxEntity.Command, MailboxEntity.Event, MailboxState> es =
                EventSourcedBehaviorTestKit.create(kit.system(), MailboxEntity.create(ACCOUNT),
                        EventSourcedBehaviorTestKit.enabledSerializationSettings()
                                .withVerifyCommands(false).withVerifyState(false));

        var first = es.<MailboxEntity.Delivered>runCommand(r -> deliver("q1:0", "INBOX", r));
        assertEquals(new MailboxEntity.Delivered("q1:0", "INBOX", 1, false), first.reply());
        // the first delivery creates the default folders in the same write
        assertEquals(MailboxEntity.DEFAULT_FOLDERS.size() + 1, first.events().size());
        assertInstanceOf(MailboxEntity.MessagesAppended.class, first.events().get(first.events().size() - 1));

        var again = es.<MailboxEntity.Delivered>runCommand(r -> deliver("q1:0", "INBOX", r));
        assertEquals(new MailboxEntity.Delivered("q1:0", "INBOX", 1, true), again.reply());
        assertTrue(again.hasNoEvents(), "a repeated delivery writes nothing");

        var lists = es.<MailboxEntity.Delivered>runCommand(r -> deliver("q2:0:Lists", "Lists", r));
        assertEquals(new MailboxEntity.Delivered("q2:0:Lists", "Lists", 1, false), lists.reply());
        assertInstanceOf(MailboxEntity.FolderCreated.class, lists.events().get(0));
        assertEquals(2, lists.events().size());

        MailboxState recovered = es.restart().state();
        assertEquals(1, recovered.folder("INBOX").count());
        assertEquals(1, recovered.folder("Lists").count());
        assertEquals(1L, recovered.deliveredUid("q1:0"));
    }

    @Test
    void deliveriesToSeveralFoldersInOneBatchGetTheirOwnUidsAndFolders() throws Exception {
        HeldFirstWrite journal = new HeldFirstWrite();
        PersistenceTestKit.create(kit.system()).withPolicy(journal);
        ActorRef<MailboxEntity.Command> box = kit.spawn(MailboxEntity.create(ACCOUNT));
        TestProbe<MailboxEntity.Delivered> probe = kit.createTestProbe(MailboxEntity.Delivered.class);

        box.tell(deliver("d0", "INBOX", probe.ref()));
        assertTrue(journal.held.await(30, TimeUnit.SECONDS));
        box.tell(deliver("d1", "Lists", probe.ref()));
        box.tell(deliver("d2", "INBOX", probe.ref()));
        box.tell(deliver("d3", "Lists", probe.ref()));
        box.tell(deliver("d4", "Junk", probe.ref()));
        journal.release.countDown();

        Map<String, MailboxEntity.Delivered> byId = new HashMap<>();
        probe.receiveSeveralMessages(5, Duration.ofSeconds(30)).forEach(d -> byId.put(d.deliveryId(), d));
        assertEquals(new MailboxEntity.Delivered("d1", "Lists", 1, false), byId.get("d1"));
        assertEquals(new MailboxEntity.Delivered("d2", "INBOX", 2, false), byId.get("d2"));
        assertEquals(new MailboxEntity.Delivered("d3", "Lists", 2, false), byId.get("d3"));
        assertEquals(new MailboxEntity.Delivered("d4", "Junk", 1, false), byId.get("d4"));
        // Lists created, then one append event per folder, in one write
        assertEquals(List.of(MailboxEntity.DEFAULT_FOLDERS.size() + 1, 4), journal.writes);
    }

    @Test
    void deliveriesArrivingDuringAWriteBecomeOneWriteAndAreAllAnswered() throws Exception {
        HeldFirstWrite journal = new HeldFirstWrite();
        PersistenceTestKit.create(kit.system()).withPolicy(journal);
        ActorRef<MailboxEntity.Command> box = kit.spawn(MailboxEntity.create(ACCOUNT));
        TestProbe<MailboxEntity.Delivered> probe = kit.createTestProbe(MailboxEntity.Delivered.class);

        box.tell(deliver("d0", "INBOX", probe.ref()));
        assertTrue(journal.held.await(30, TimeUnit.SECONDS), "the first write reached the journal");
        int n = 100;
        for (int i = 1; i <= n; i++) {
            box.tell(deliver("d" + i, "INBOX", probe.ref()));
        }
        box.tell(deliver("d0", "INBOX", probe.ref()));   // written by the held write
        box.tell(deliver("d7", "INBOX", probe.ref()));   // repeated within the batch
        journal.release.countDown();

        Map<String, List<MailboxEntity.Delivered>> answers = new HashMap<>();
        for (MailboxEntity.Delivered d : probe.receiveSeveralMessages(n + 3, Duration.ofSeconds(30))) {
            answers.computeIfAbsent(d.deliveryId(), k -> new ArrayList<>()).add(d);
        }
        assertEquals(List.of(MailboxEntity.DEFAULT_FOLDERS.size() + 1, 1), journal.writes,
                "the held write, then one write for all the waiting deliveries");
        assertEquals(n, journal.appended.get(1), "one event with every new message of the batch (no repeats)");
        assertEquals(List.of(new MailboxEntity.Delivered("d0", "INBOX", 1, false),
                new MailboxEntity.Delivered("d0", "INBOX", 1, true)), answers.get("d0"));
        for (int i = 1; i <= n; i++) {
            MailboxEntity.Delivered d = answers.get("d" + i).get(0);
            assertEquals(i + 1, d.uid(), "uid of d" + i);
            assertFalse(d.duplicate(), "d" + i + " is new");
        }
        assertEquals(List.of(new MailboxEntity.Delivered("d7", "INBOX", 8, false),
                new MailboxEntity.Delivered("d7", "INBOX", 8, true)), answers.get("d7"));
        probe.expectNoMessage(Duration.ofMillis(200));

        // after a restart the journal holds each message once
        kit.stop(box);
        ActorRef<MailboxEntity.Command> again = kit.spawn(MailboxEntity.create(ACCOUNT));
        TestProbe<MailboxEntity.MessageList> list = kit.createTestProbe(MailboxEntity.MessageList.class);
        again.tell(new MailboxEntity.ListMessages("INBOX", list.ref()));
        List<MessageMeta> messages = list.receiveMessage(Duration.ofSeconds(30)).messages();
        assertEquals(n + 1, messages.size());
        assertEquals(n + 1, messages.get(n).uid());
    }

    @Test
    void aBurstLargerThanOneBatchIsWrittenInBoundedBatches() throws Exception {
        HeldFirstWrite journal = new HeldFirstWrite();
        PersistenceTestKit.create(kit.system()).withPolicy(journal);
        ActorRef<MailboxEntity.Command> box = kit.spawn(MailboxEntity.create(ACCOUNT));
        TestProbe<MailboxEntity.Delivered> probe = kit.createTestProbe(MailboxEntity.Delivered.class);

        box.tell(deliver("d0", "INBOX", probe.ref()));
        assertTrue(journal.held.await(30, TimeUnit.SECONDS));
        int n = DeliveryBatcher.MAX_BATCH + 10;
        for (int i = 1; i <= n; i++) {
            box.tell(deliver("d" + i, "INBOX", probe.ref()));
        }
        journal.release.countDown();
        List<MailboxEntity.Delivered> all = probe.receiveSeveralMessages(n + 1, Duration.ofSeconds(30));
        assertEquals(n + 1, all.stream().map(MailboxEntity.Delivered::uid).distinct().count());
        assertEquals(List.of(1, DeliveryBatcher.MAX_BATCH, 10), journal.appended, "messages per write");
    }

    /** Journal policy that holds the first write until released and records the size of every write. */
    private static final class HeldFirstWrite implements ProcessingPolicy<JournalOperation> {
        final List<Integer> writes = new CopyOnWriteArrayList<>();
        /** Messages appended by each write. */
        final List<Integer> appended = new CopyOnWriteArrayList<>();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
            if (op instanceof WriteEvents w) {
                writes.add(w.getBatch().size());
                appended.add(w.getBatch().stream().mapToInt(e -> e instanceof MailboxEntity.MessagesAppended a
                        ? a.messages().size() : 0).sum());
                if (held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return ProcessingSuccess.getInstance();
        }
    }
}
