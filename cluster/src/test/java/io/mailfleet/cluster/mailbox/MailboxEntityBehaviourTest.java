package io.mailfleet.cluster.mailbox;

import com.typesafe.config.Config;
import io.mailfleet.cluster.cache.UsageCache;
import io.mailfleet.cluster.mailbox.MailboxEntity.Command;
import io.mailfleet.cluster.mailbox.MailboxEntity.Delivered;
import io.mailfleet.cluster.mailbox.MailboxEntity.Event;
import io.mailfleet.cluster.mailbox.MailboxEntity.Reply;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.core.mailbox.Usage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link MailboxEntity} command by command on Pekko's persistence test kit (in-memory journal and
 * snapshot store, events serialized with the project's Kryo registrations): what each command
 * answers, what it writes, and that a snapshot plus the events after it recover the same mailbox.
 */
class MailboxEntityBehaviourTest {

    private static final String ACCOUNT = "user@example.com";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<Command, Event, MailboxState> es;

    @BeforeEach
    void start() {
        Config config = PersistenceTestKitSnapshotPlugin.config()
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        // the entity publishes quota usage through Distributed Data, which needs a cluster member
        TestNodes.join(kit.system(), kit.system());
        TestNodes.awaitUp(kit.system(), 1);
        es = EventSourcedBehaviorTestKit.create(kit.system(), MailboxEntity.create(ACCOUNT),
                EventSourcedBehaviorTestKit.enabledSerializationSettings()
                        .withVerifyCommands(false).withVerifyState(false));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    // --- delivery and append ---

    @Test
    void aDeliveryCreatesTheDefaultFoldersAndARepeatedDeliveryIdIsAnsweredWithItsUid() {
        assertEquals(new Delivered("q1:0", "INBOX", 1, false), deliver("q1:0", "INBOX", 100));
        assertEquals(new Delivered("q2:0", "INBOX", 2, false), deliver("q2:0", "INBOX", 200));

        var again = es.<Delivered>runCommand(r -> deliverCommand("q1:0", "INBOX", 100, r));
        assertEquals(new Delivered("q1:0", "INBOX", 1, true), again.reply());
        assertTrue(again.hasNoEvents(), "a repeated delivery writes nothing");

        List<FolderInfo> folders = ok(MailboxEntity.ListFolders::new);
        assertEquals(List.of("INBOX", "Drafts", "Sent", "Junk", "Trash"), folders.stream().map(FolderInfo::name).toList());
        assertEquals(List.of("\\Drafts", "\\Sent", "\\Junk", "\\Trash"),
                folders.subList(1, 5).stream().map(FolderInfo::specialUse).toList());
        assertTrue(folders.stream().allMatch(FolderInfo::subscribed), "the default folders are subscribed");
        FolderInfo inbox = folders.get(0);
        assertEquals(2, inbox.messages());
        assertEquals(3, inbox.uidNext());

        var lists = es.<Delivered>runCommand(r -> deliverCommand("q3:0:Lists", "Lists", 50, r));
        assertEquals(new Delivered("q3:0:Lists", "Lists", 1, false), lists.reply());
        MailboxEntity.FolderCreated created = assertInstanceOf(MailboxEntity.FolderCreated.class,
                lists.events().get(0));
        assertEquals("Lists", created.name());
        assertTrue(created.subscribed(), "a folder a delivery creates is subscribed");
    }

    @Test
    void aBatchOfDeliveriesIsOneWriteWithOneEventPerFolderAndEverySenderIsAnsweredInOrder() {
        deliver("q0:0", "INBOX", 100);
        TestProbe<Delivered> senders = kit.createTestProbe(Delivered.class);
        var result = es.runCommand(new MailboxEntity.DeliverBatch(List.of(
                deliverCommand("a", "INBOX", 10, senders.ref()),
                deliverCommand("b", "Lists", 20, senders.ref()),
                deliverCommand("c", "INBOX", 30, senders.ref()),
                deliverCommand("a", "INBOX", 10, senders.ref()))));

        assertEquals(3, result.events().size(), "Lists created, then one append per folder");
        assertInstanceOf(MailboxEntity.FolderCreated.class, result.events().get(0));
        MailboxEntity.MessagesAppended inbox = assertInstanceOf(MailboxEntity.MessagesAppended.class,
                result.events().get(1));
        assertEquals(List.of(2L, 3L), inbox.messages().stream().map(MessageMeta::uid).toList());
        assertEquals("Lists", ((MailboxEntity.MessagesAppended) result.events().get(2)).folder());
        assertEquals(List.of(new Delivered("a", "INBOX", 2, false), new Delivered("b", "Lists", 1, false),
                        new Delivered("c", "INBOX", 3, false), new Delivered("a", "INBOX", 2, true)),
                senders.receiveSeveralMessages(4, WAIT));
        // the same modseq for the whole write
        assertEquals(1, inbox.messages().stream().map(MessageMeta::modseq).distinct().count());
    }

    @Test
    void appendKeepsTheClientsFlagsButNeverRecentAndMultiappendTakesConsecutiveUids() {
        deliver("q0:0", "INBOX", 100);
        FolderSnapshot before = select("INBOX");

        AppendResult one = ok(r -> new MailboxEntity.Append("INBOX", blob("a1", 10), Instant.now(),
                Set.of("\\Seen", "\\Recent", "$Label1"), null, r));
        assertEquals(new AppendResult(before.uidValidity(), 2), one);
        assertEquals(Set.of("\\Seen", "$Label1"), message("INBOX", 2).flags());

        var batch = es.<Reply<List<AppendResult>>>runCommand(r -> new MailboxEntity.AppendBatch("INBOX", List.of(
                item("b1"), item("b2"), item("b3")), r));
        assertEquals(List.of(new AppendResult(before.uidValidity(), 3), new AppendResult(before.uidValidity(), 4),
                new AppendResult(before.uidValidity(), 5)), batch.reply().valueOrThrow());
        assertEquals(1, batch.events().size(), "MULTIAPPEND is all or nothing: one event");

        var missing = es.<Reply<AppendResult>>runCommand(r -> new MailboxEntity.Append("Nope", blob("x", 1),
                Instant.now(), Set.of(), null, r));
        assertRefused("TRYCREATE", "Mailbox doesn't exist.", missing.reply());
        assertTrue(missing.hasNoEvents());
    }

    // --- UIDVALIDITY and UIDNEXT ---

    @Test
    void uidValidityIsNeverHandedOutTwiceAndUidNextNeverGoesBack() {
        deliver("q1:0", "INBOX", 100);
        deliver("q2:0", "INBOX", 100);
        List<FolderInfo> defaults = ok(MailboxEntity.ListFolders::new);
        assertEquals(5, defaults.stream().map(FolderInfo::uidValidity).distinct().count());

        store("INBOX", List.of(2L), FlagOperation.ADD, Set.of("\\Deleted"), -1);
        ok((ActorRef<Reply<ExpungeResult>> r) -> new MailboxEntity.Expunge("INBOX", null, r));
        assertEquals(3, select("INBOX").uidNext(), "an expunged uid is not given out again");
        assertEquals(3, deliver("q3:0", "INBOX", 100).uid());

        createFolders(List.of("Work"));
        long first = select("Work").uidValidity();
        ok((ActorRef<Reply<Void>> r) -> new MailboxEntity.DeleteFolder("Work", '/', r));
        createFolders(List.of("Work"));
        assertTrue(select("Work").uidValidity() > first, "a folder recreated under an old name gets a new UIDVALIDITY");

        FolderSnapshot inbox = select("INBOX");
        ok((ActorRef<Reply<Void>> r) -> new MailboxEntity.RenameFolder("INBOX", "Old", '/', r));
        FolderSnapshot old = select("Old");
        assertEquals(inbox.uidValidity(), old.uidValidity(), "a renamed folder keeps its UIDVALIDITY");
        assertEquals(inbox.messages().size(), old.messages().size());
        FolderSnapshot fresh = select("INBOX");
        assertTrue(fresh.messages().isEmpty(), "renaming INBOX leaves an empty INBOX");
        long highestBefore = ok(MailboxEntity.ListFolders::new).stream().filter(f -> !f.name().equals("INBOX"))
                .mapToLong(FolderInfo::uidValidity).max().orElseThrow();
        assertTrue(fresh.uidValidity() > highestBefore, "the new INBOX has a UIDVALIDITY never used before");
    }

    @Test
    void anImportKeepsTheSourceUidsAndUidValidityOnlyWhereNoClientCanHoldOtherUids() {
        createFolders(List.of("Work"));
        long own = select("Work").uidValidity();
        var adopt = es.<Reply<io.mailfleet.core.mailbox.FolderUids>>runCommand(r ->
                new MailboxEntity.ImportUids("Work", 1_276_528_487L, 0, r));
        assertEquals(new io.mailfleet.core.mailbox.FolderUids(1_276_528_487L, 1, 0, true), adopt.reply().valueOrThrow());
        assertInstanceOf(MailboxEntity.UidValidityAdopted.class, adopt.events().get(0));
        assertTrue(own != 1_276_528_487L);

        AppendResult five = ok(r -> new MailboxEntity.ImportAppend("Work", 5, blob("i5", 10), Instant.now(),
                Set.of("\\Seen", "\\Recent"), null, r));
        assertEquals(new AppendResult(1_276_528_487L, 5), five);
        assertEquals(Set.of("\\Seen"), message("Work", 5).flags());
        var below = es.<Reply<AppendResult>>runCommand(r -> new MailboxEntity.ImportAppend("Work", 5, blob("i6", 10),
                Instant.now(), Set.of(), null, r));
        assertRefused("UIDTAKEN", "uid 5 is not above the folder's last uid (UIDNEXT 6)", below.reply());
        assertTrue(below.hasNoEvents());
        ok((ActorRef<Reply<AppendResult>> r) -> new MailboxEntity.ImportAppend("Work", 9, blob("i9", 10), Instant.now(), Set.of(), null, r));

        var next = es.<Reply<io.mailfleet.core.mailbox.FolderUids>>runCommand(r ->
                new MailboxEntity.ImportUids("Work", 1_276_528_487L, 20, r));
        assertEquals(new io.mailfleet.core.mailbox.FolderUids(1_276_528_487L, 20, 2, false), next.reply().valueOrThrow());
        var lower = es.<Reply<io.mailfleet.core.mailbox.FolderUids>>runCommand(r ->
                new MailboxEntity.ImportUids("Work", 0, 7, r));
        assertTrue(lower.hasNoEvents(), "UIDNEXT never goes back");
        assertEquals(20, deliver("q1:0", "Work", 100).uid(), "new mail continues the source's numbering");

        var occupied = es.<Reply<io.mailfleet.core.mailbox.FolderUids>>runCommand(r ->
                new MailboxEntity.ImportUids("Work", 42, 0, r));
        assertFalse(occupied.reply().valueOrThrow().adopted(), "a folder with messages keeps its UIDVALIDITY");
        assertEquals(1_276_528_487L, select("Work").uidValidity());

        MailboxState recovered = es.restart().state();
        assertEquals(1_276_528_487L, recovered.folder("Work").uidValidity());
        assertEquals(21, recovered.folder("Work").uidNext());
        assertEquals(List.of(5L, 9L, 20L), List.copyOf(recovered.folder("Work").messageMap().keySet()));
        createFolders(List.of("Later"));
        assertTrue(select("Later").uidValidity() > 1_276_528_487L, "UIDVALIDITY values still never repeat");
    }

    @Test
    void anImportKeepsTheSourceModseqsAndLaterChangesGoAboveTheSourcesHighest() {
        createFolders(List.of("Kept"));
        ok((ActorRef<Reply<io.mailfleet.core.mailbox.FolderUids>> r) ->
                new MailboxEntity.ImportUids("Kept", 1_700_000_123L, 0, r));
        var raised = es.<Reply<Long>>runCommand(r -> new MailboxEntity.ImportModseq("Kept", 40, r));
        assertEquals(40L, raised.reply().valueOrThrow());
        assertInstanceOf(MailboxEntity.HighestModseqRaised.class, raised.events().get(0));
        var again = es.<Reply<Long>>runCommand(r -> new MailboxEntity.ImportModseq("Kept", 12, r));
        assertTrue(again.hasNoEvents(), "a HIGHESTMODSEQ never goes back");
        assertEquals(40L, again.reply().valueOrThrow());

        AppendResult k1 = ok(r -> new MailboxEntity.ImportAppend("Kept", 1, blob("k1", 10), Instant.now(), Set.of(), null,
                31, r));
        AppendResult k2 = ok(r -> new MailboxEntity.ImportAppend("Kept", 2, blob("k2", 10), Instant.now(), Set.of(), null,
                7, r));
        AppendResult k3 = ok(r -> new MailboxEntity.ImportAppend("Kept", 3, blob("k3", 10), Instant.now(), Set.of(), null,
                0, r));
        assertEquals(List.of(1L, 2L, 3L), List.of(k1.uid(), k2.uid(), k3.uid()));
        assertEquals(31, message("Kept", 1).modseq());
        assertEquals(7, message("Kept", 2).modseq());
        assertTrue(message("Kept", 3).modseq() > 40, "no source modseq: above the source's highest");
        var negative = es.<Reply<AppendResult>>runCommand(r -> new MailboxEntity.ImportAppend("Kept", 4,
                blob("k4", 10), Instant.now(), Set.of(), null, -1, r));
        assertRefused("CLIENTBUG", "modseq -1 out of range", negative.reply());

        store("Kept", List.of(2L), FlagOperation.ADD, Set.of("\\Flagged"), -1);
        long after = message("Kept", 2).modseq();
        assertTrue(after > message("Kept", 3).modseq(), "a change after the import is above everything");
        assertEquals(List.of(2L), select("Kept").messages().stream().filter(m -> m.modseq() > 40 && m.uid() != 3)
                .map(m -> m.uid()).toList());

        MailboxState recovered = es.restart().state();
        assertEquals(after, recovered.folder("Kept").highestModseq());
        assertEquals(31, recovered.folder("Kept").message(1).modseq());
        assertTrue(recovered.highestModseq() >= after);
    }

    @Test
    void anImportBatchIsOneEventKeepingTheFreeSourceUidsAndNumberingTheOthers() {
        createFolders(List.of("Work"));
        es.runCommand((ActorRef<Reply<io.mailfleet.core.mailbox.FolderUids>> r) ->
                new MailboxEntity.ImportUids("Work", 1_276_528_487L, 0, r));
        ok((ActorRef<Reply<AppendResult>> r) -> new MailboxEntity.ImportAppend("Work", 4, blob("b4", 10), Instant.now(),
                Set.of(), null, r));
        List<MailboxEntity.BatchItem> items = List.of(
                new MailboxEntity.BatchItem(blob("b3", 10), Instant.now(), Set.of("\\Seen", "\\Recent"), null),
                new MailboxEntity.BatchItem(blob("b7", 10), Instant.now(), Set.of("\\Flagged"), null),
                new MailboxEntity.BatchItem(blob("b0", 10), Instant.now(), Set.of(), null),
                new MailboxEntity.BatchItem(blob("b9", 10), Instant.now(), Set.of(), null),
                new MailboxEntity.BatchItem(blob("b8", 10), Instant.now(), Set.of(), null));
        var batch = es.<Reply<List<AppendResult>>>runCommand(r -> new MailboxEntity.ImportAppendBatch("Work", items,
                List.of(3L, 7L, 0L, 9L, 8L), r));
        // 3 is below UIDNEXT 5: a new uid; 7 and 9 kept; none given: the next; 8 passed by 9: the next
        assertEquals(List.of(5L, 7L, 8L, 9L, 10L), batch.reply().valueOrThrow().stream().map(AppendResult::uid).toList());
        assertEquals(1, batch.events().size(), "one journal write for the batch");
        assertInstanceOf(MailboxEntity.MessagesAppended.class, batch.events().get(0));
        assertEquals(Set.of("\\Seen"), message("Work", 5).flags());
        assertEquals(Set.of("\\Flagged"), message("Work", 7).flags());
        assertEquals(11, select("Work").uidNext());

        var missing = es.<Reply<List<AppendResult>>>runCommand(r -> new MailboxEntity.ImportAppendBatch("Nowhere",
                items, List.of(1L, 2L, 3L, 4L, 5L), r));
        assertRefused("TRYCREATE", "Mailbox doesn't exist.", missing.reply());
        assertTrue(missing.hasNoEvents());
        MailboxState recovered = es.restart().state();
        assertEquals(List.of(4L, 5L, 7L, 8L, 9L, 10L), List.copyOf(recovered.folder("Work").messageMap().keySet()));
    }

    @Test
    void anImportBatchKeepsTheSourceModseqOfEachMessageThatKeepsItsUid() {
        createFolders(List.of("Kept"));
        ok((ActorRef<Reply<io.mailfleet.core.mailbox.FolderUids>> r) ->
                new MailboxEntity.ImportUids("Kept", 1_700_000_123L, 0, r));
        ok((ActorRef<Reply<Long>> r) -> new MailboxEntity.ImportModseq("Kept", 40, r));
        List<MailboxEntity.BatchItem> items = List.of(
                new MailboxEntity.BatchItem(blob("m1", 10), Instant.now(), Set.of(), null),
                new MailboxEntity.BatchItem(blob("m2", 10), Instant.now(), Set.of(), null),
                new MailboxEntity.BatchItem(blob("m3", 10), Instant.now(), Set.of(), null),
                new MailboxEntity.BatchItem(blob("m4", 10), Instant.now(), Set.of(), null));
        // uid 2 kept with modseq 31, uid 5 with 7; no source modseq; uid 1 is below UIDNEXT 6 at its turn
        var batch = es.<Reply<List<AppendResult>>>runCommand(r -> new MailboxEntity.ImportAppendBatch("Kept", items,
                List.of(2L, 5L, 0L, 1L), List.of(31L, 7L, 0L, 12L), r));
        assertEquals(List.of(2L, 5L, 6L, 7L), batch.reply().valueOrThrow().stream().map(AppendResult::uid).toList());
        assertEquals(1, batch.events().size(), "one journal write for the batch");
        assertEquals(31, message("Kept", 2).modseq());
        assertEquals(7, message("Kept", 5).modseq());
        assertTrue(message("Kept", 6).modseq() > 40, "no source modseq: above the source's highest");
        assertTrue(message("Kept", 7).modseq() > 40, "renumbered: its source modseq is not kept");

        var negative = es.<Reply<List<AppendResult>>>runCommand(r -> new MailboxEntity.ImportAppendBatch("Kept",
                items.subList(0, 1), List.of(9L), List.of(-1L), r));
        assertRefused("CLIENTBUG", "modseq -1 out of range", negative.reply());
        assertTrue(negative.hasNoEvents());

        MailboxState recovered = es.restart().state();
        assertEquals(31, recovered.folder("Kept").message(2).modseq());
        assertEquals(7, recovered.folder("Kept").message(5).modseq());
        assertTrue(recovered.folder("Kept").highestModseq() > 40);
    }

    // --- flags ---

    @Test
    void storeChangesFlagsUnderANewModseqAndHonoursUnchangedSince() {
        deliver("q1:0", "INBOX", 100);
        deliver("q2:0", "INBOX", 100);
        TestProbe<MailboxEvent> watcher = watch();
        long m = select("INBOX").highestModseq();

        var seen = es.<Reply<StoreResult>>runCommand(r -> storeCommand("INBOX", List.of(1L, 2L), FlagOperation.ADD,
                Set.of("\\Seen"), -1, r));
        StoreResult first = seen.reply().valueOrThrow();
        assertEquals(List.of(new FlagUpdate(1, Set.of("\\Seen"), m + 1), new FlagUpdate(2, Set.of("\\Seen"), m + 1)),
                first.updated());
        assertInstanceOf(MailboxEntity.FlagsUpdated.class, seen.events().get(0));
        assertEquals(new MailboxEvent.FlagsChanged("INBOX", first.updated()), watcher.receiveMessage(WAIT));

        var same = es.<Reply<StoreResult>>runCommand(r -> storeCommand("INBOX", List.of(1L, 2L), FlagOperation.ADD,
                Set.of("\\Seen"), -1, r));
        assertEquals(List.of(), same.reply().valueOrThrow().updated());
        assertTrue(same.hasNoEvents(), "a STORE that changes nothing writes nothing");

        StoreResult replaced = store("INBOX", List.of(1L), FlagOperation.REPLACE, Set.of("\\Flagged", "\\Recent"), -1);
        assertEquals(Set.of("\\Flagged"), replaced.updated().get(0).flags(), "\\Recent cannot be stored");
        assertEquals(m + 2, replaced.updated().get(0).modseq());

        // uid 1 changed after m + 1, uid 2 did not: only uid 2 is stored, even without a change (RFC 7162 §3.1.3)
        StoreResult conditional = store("INBOX", List.of(1L, 2L), FlagOperation.REMOVE, Set.of("\\Flagged"), m + 1);
        assertEquals(List.of(1L), conditional.modified());
        assertEquals(List.of(2L), conditional.updated().stream().map(FlagUpdate::uid).toList());
        assertEquals(Set.of("\\Seen"), message("INBOX", 2).flags());

        assertRefused("NONEXISTENT", "Mailbox doesn't exist.", es.<Reply<StoreResult>>runCommand(r ->
                storeCommand("Nope", List.of(1L), FlagOperation.ADD, Set.of("\\Seen"), -1, r)).reply());
    }

    // --- expunge, copy, move ---

    @Test
    void expungeRemovesOnlyDeletedMessagesAndFreesTheirBytes() {
        deliver("q1:0", "INBOX", 100);
        deliver("q2:0", "INBOX", 200);
        deliver("q3:0", "INBOX", 300);
        TestProbe<MailboxEvent> watcher = watch();
        long m = select("INBOX").highestModseq();
        store("INBOX", List.of(1L, 2L), FlagOperation.ADD, Set.of("\\Deleted"), -1);

        ExpungeResult limited = ok(r -> new MailboxEntity.Expunge("INBOX", List.of(2L, 3L), r));
        assertEquals(new ExpungeResult(List.of(2L), m + 2), limited, "UID EXPUNGE: only \\Deleted among the uids");
        watcher.expectMessageClass(MailboxEvent.FlagsChanged.class, WAIT);
        assertEquals(new MailboxEvent.MessagesExpunged("INBOX", List.of(2L), m + 2), watcher.receiveMessage(WAIT));
        assertEquals(new Usage(400, 2), usage());

        ExpungeResult all = ok(r -> new MailboxEntity.Expunge("INBOX", null, r));
        assertEquals(List.of(1L), all.uids());
        assertEquals(new Usage(300, 1), usage());
        assertEquals(Set.of(1L, 2L), new HashSet<>(ok((ActorRef<Reply<List<Long>>> r) ->
                new MailboxEntity.ExpungedSince("INBOX", m, r))));

        var nothing = es.<Reply<ExpungeResult>>runCommand(r -> new MailboxEntity.Expunge("INBOX", null, r));
        assertEquals(new ExpungeResult(List.of(), all.modseq()), nothing.reply().valueOrThrow());
        assertTrue(nothing.hasNoEvents());
        assertRefused("NONEXISTENT", "Mailbox doesn't exist.",
                es.<Reply<ExpungeResult>>runCommand(r -> new MailboxEntity.Expunge("Nope", null, r)).reply());
    }

    @Test
    void copyKeepsFlagsUnderNewUidsAndMoveExpungesTheOriginalsInTheSameWrite() {
        deliver("q1:0", "INBOX", 100);
        deliver("q2:0", "INBOX", 200);
        deliver("q3:0", "INBOX", 300);
        store("INBOX", List.of(1L), FlagOperation.ADD, Set.of("\\Seen"), -1);
        long trash = select("Trash").uidValidity();

        CopyResult copied = ok(r -> new MailboxEntity.Copy("INBOX", List.of(3L, 1L, 99L), "Trash", false, r));
        assertEquals(new CopyResult(trash, List.of(1L, 3L), List.of(1L, 2L)), copied);
        assertEquals(Set.of("\\Seen"), message("Trash", 1).flags());
        assertEquals(new Usage(1000, 5), usage(), "copies count towards the quota");

        var moved = es.<Reply<CopyResult>>runCommand(r -> new MailboxEntity.Copy("INBOX", List.of(2L), "Trash",
                true, r));
        assertEquals(new CopyResult(trash, List.of(2L), List.of(3L)), moved.reply().valueOrThrow());
        assertEquals(2, moved.events().size(), "the copy and the expunge in one write");
        MailboxEntity.MessagesAppended appended = assertInstanceOf(MailboxEntity.MessagesAppended.class,
                moved.events().get(0));
        MailboxEntity.MessagesExpunged expunged = assertInstanceOf(MailboxEntity.MessagesExpunged.class,
                moved.events().get(1));
        assertEquals(appended.messages().get(0).modseq() + 1, expunged.modseq());
        assertEquals(List.of(1L, 3L), select("INBOX").messages().stream().map(v -> v.uid()).toList());
        assertEquals(new Usage(1000, 5), usage(), "a move frees what it copies");

        assertRefused("TRYCREATE", "Mailbox doesn't exist.", es.<Reply<CopyResult>>runCommand(r ->
                new MailboxEntity.Copy("INBOX", List.of(1L), "Nope", false, r)).reply());
        assertRefused("NONEXISTENT", "Mailbox doesn't exist.", es.<Reply<CopyResult>>runCommand(r ->
                new MailboxEntity.Copy("Nope", List.of(1L), "Trash", true, r)).reply());
    }

    // --- folders ---

    @Test
    void foldersAreCreatedRenamedAndDeletedWithTheirChildren() {
        deliver("q1:0", "INBOX", 100);
        var created = es.<Reply<Void>>runCommand(r -> new MailboxEntity.CreateFolders(List.of("A", "A/B"), null, r));
        assertTrue(created.reply().isOk());
        assertEquals(2, created.events().size());
        assertFalse(((MailboxEntity.FolderCreated) created.events().get(1)).subscribed(),
                "CREATE does not subscribe");
        assertRefused("ALREADYEXISTS", "Mailbox already exists", es.<Reply<Void>>runCommand(r ->
                new MailboxEntity.CreateFolders(List.of("A", "A/B"), null, r)).reply());
        var child = es.<Reply<Void>>runCommand(r -> new MailboxEntity.CreateFolders(List.of("A", "A/C"),
                "\\Archive", r));
        assertEquals(1, child.events().size(), "an existing parent is not created again");
        assertEquals("\\Archive", ((MailboxEntity.FolderCreated) child.events().get(0)).specialUse());

        assertRefused("INUSE", "Mailbox has children, delete them first", deleteFolder("A"));
        assertRefused("CANNOT", "INBOX can't be deleted.", deleteFolder("INBOX"));
        assertRefused("NONEXISTENT", "Mailbox doesn't exist.", deleteFolder("Zed"));

        ok((ActorRef<Reply<Void>> r) -> new MailboxEntity.RenameFolder("A", "X/Y", '/', r));
        List<String> names = ok(MailboxEntity.ListFolders::new).stream().map(FolderInfo::name).toList();
        assertTrue(names.containsAll(List.of("X", "X/Y", "X/Y/B", "X/Y/C")), names.toString());
        assertFalse(names.stream().anyMatch(n -> n.equals("A") || n.startsWith("A/")), names.toString());
        assertRefused("CANNOT", "Can't rename mailbox under itself", rename("X", "X/Z"));
        assertRefused("ALREADYEXISTS", "Target mailbox already exists", rename("X/Y/B", "Sent"));
        assertRefused("NONEXISTENT", "Mailbox doesn't exist.", rename("Zed", "Zoo"));

        assertTrue(deleteFolder("X/Y/B").isOk());
        assertNull(es.getState().folder("X/Y/B"));
        assertRefused("NONEXISTENT", "Mailbox doesn't exist.", es.<Reply<Void>>runCommand(r ->
                new MailboxEntity.Subscribe("Nope", true, r)).reply());
        ok((ActorRef<Reply<Void>> r) -> new MailboxEntity.Subscribe("X", true, r));
        assertTrue(ok(MailboxEntity.ListFolders::new).stream().filter(f -> f.name().equals("X")).findFirst()
                .orElseThrow().subscribed());
    }

    // --- quota ---

    @Test
    void usageIsAnsweredAndPublishedToTheCacheTheQuotaCheckReads() {
        UsageCache cache = new UsageCache();
        kit.spawn(cache.subscriber());
        deliver("q1:0", "INBOX", 1000);
        deliver("q2:0", "INBOX", 2500);
        assertEquals(new Usage(3500, 2), usage());
        TestNodes.await(() -> cache.usedBytes(ACCOUNT) == 3500, WAIT, "usage 3500 published");

        store("INBOX", List.of(2L), FlagOperation.ADD, Set.of("\\Deleted"), -1);
        ok((ActorRef<Reply<ExpungeResult>> r) -> new MailboxEntity.Expunge("INBOX", null, r));
        assertEquals(new Usage(1000, 1), usage());
        // a change within the publication interval goes out at its end, not lost
        TestNodes.await(() -> cache.usedBytes(ACCOUNT) == 1000, WAIT, "usage 1000 published");
    }

    // --- snapshot and recovery ---

    @Test
    void aSnapshotRecoversTheMailboxWithoutTheEventsBeforeIt() {
        deliver("q1:0", "INBOX", 100);   // 5 default folders and the append: events 1 to 6
        createFolders(List.of("Work"));  // event 7
        ok((ActorRef<Reply<CopyResult>> r) -> new MailboxEntity.Copy("INBOX", List.of(1L), "Work", false, r)); // 8
        int toggles = 500 - 8;            // one event each, up to the snapshot at event 500
        for (int i = 0; i < toggles; i++) {
            store("INBOX", List.of(1L), i % 2 == 0 ? FlagOperation.ADD : FlagOperation.REMOVE, Set.of("\\Seen"), -1);
        }
        String pid = PersistenceId.of(MailboxEntity.TYPE_KEY.name(), ACCOUNT).id();
        SnapshotTestKit snapshots = es.snapshotTestKit().orElseThrow();
        TestNodes.await(() -> !snapshots.persistedInStorage(pid).isEmpty(), WAIT, "snapshot at event 500");
        Object snapshot = snapshots.persistedInStorage(pid).get(0).second();
        assertInstanceOf(MailboxSnapshotV3.class, snapshot);
        List<Object> expected = describe(es.getState());

        // only the snapshot is left: recovery must rebuild everything from it
        es.persistenceTestKit().clearByIdPreservingSeqNumbers(pid);
        MailboxState recovered = es.restart().state();
        assertEquals(expected, describe(recovered));
        assertEquals(1L, recovered.deliveredUid("q1:0"));
        assertEquals(new Delivered("q1:0", "INBOX", 1, true), deliver("q1:0", "INBOX", 100),
                "the delivery ids survive the snapshot");
        assertEquals(new Delivered("q2:0", "INBOX", 2, false), deliver("q2:0", "INBOX", 100));
        assertTrue(message("INBOX", 2).modseq() > (long) expected.get(0), "modseqs go on from the snapshot's");
    }

    @Test
    void aNewSnapshotReplacesTheOlderOne() {
        deliver("q1:0", "INBOX", 100);   // events 1 to 6
        for (int i = 6; i < 1_000; i++) { // up to the second snapshot, at event 1000
            store("INBOX", List.of(1L), i % 2 == 0 ? FlagOperation.ADD : FlagOperation.REMOVE, Set.of("\\Seen"), -1);
        }
        String pid = PersistenceId.of(MailboxEntity.TYPE_KEY.name(), ACCOUNT).id();
        SnapshotTestKit snapshots = es.snapshotTestKit().orElseThrow();
        TestNodes.await(() -> snapshots.persistedInStorage(pid).size() == 1
                && snapshots.persistedInStorage(pid).get(0).first().sequenceNr() == 1_000, WAIT,
                "only the snapshot at event 1000 left");
        List<Object> expected = describe(es.getState());
        es.persistenceTestKit().clearByIdPreservingSeqNumbers(pid);
        assertEquals(expected, describe(es.restart().state()));
    }

    // --- the wire ---

    @Test
    void typedRepliesSurviveTheWireBetweenNodes() {
        deliver("q1:0", "INBOX", 100);
        store("INBOX", List.of(1L), FlagOperation.ADD, Set.of("\\Seen"), -1);
        SerializationTestKit wire = new SerializationTestKit(kit.system());
        List<Reply<?>> replies = new ArrayList<>();
        replies.add(es.<Reply<FolderSnapshot>>runCommand(r -> new MailboxEntity.Select("INBOX", false, r)).reply());
        replies.add(es.<Reply<List<FolderInfo>>>runCommand(MailboxEntity.ListFolders::new).reply());
        replies.add(es.<Reply<StoreResult>>runCommand(r -> storeCommand("INBOX", List.of(1L), FlagOperation.ADD,
                Set.of("$Label1"), -1, r)).reply());
        replies.add(es.<Reply<CopyResult>>runCommand(r -> new MailboxEntity.Copy("INBOX", List.of(1L), "Trash",
                false, r)).reply());
        replies.add(es.<Reply<Usage>>runCommand(MailboxEntity.GetUsage::new).reply());
        replies.add(es.<Reply<Set<Long>>>runCommand(r -> new MailboxEntity.ClaimRecent("INBOX", List.of(1L), r))
                .reply());
        replies.add(es.<Reply<Void>>runCommand(r -> new MailboxEntity.DeleteFolder("INBOX", '/', r)).reply());
        for (Reply<?> reply : replies) {
            wire.verifySerialization(reply, true);
        }
    }

    // --- helpers ---

    private static BlobRef blob(String id, long size) {
        return new BlobRef(String.format("%26s", id).replace(' ', '0'), size, "ab".repeat(32));
    }

    private static MailboxEntity.BatchItem item(String id) {
        return new MailboxEntity.BatchItem(blob(id, 10), Instant.now(), Set.of(), null);
    }

    private static MailboxEntity.Deliver deliverCommand(String id, String folder, long size,
                                                        ActorRef<Delivered> replyTo) {
        return new MailboxEntity.Deliver(id, folder, blob(id.replace(":", ""), size), Instant.now(), Set.of(), null,
                replyTo);
    }

    private static MailboxEntity.Store storeCommand(String folder, List<Long> uids, FlagOperation op,
                                                    Set<String> flags, long unchangedSince,
                                                    ActorRef<Reply<StoreResult>> replyTo) {
        return new MailboxEntity.Store(folder, uids, op, flags, unchangedSince, replyTo);
    }

    private Delivered deliver(String id, String folder, long size) {
        return es.<Delivered>runCommand(r -> deliverCommand(id, folder, size, r)).reply();
    }

    /** Runs a command and takes its value; a refusal fails the test with its code. */
    private <T> T ok(Function<ActorRef<Reply<T>>, Command> command) {
        return es.<Reply<T>>runCommand(command).reply().valueOrThrow();
    }

    private StoreResult store(String folder, List<Long> uids, FlagOperation op, Set<String> flags,
                              long unchangedSince) {
        return ok(r -> storeCommand(folder, uids, op, flags, unchangedSince, r));
    }

    private FolderSnapshot select(String folder) {
        return ok(r -> new MailboxEntity.Select(folder, true, r));
    }

    private Usage usage() {
        return ok(MailboxEntity.GetUsage::new);
    }

    private void createFolders(List<String> names) {
        ok((ActorRef<Reply<Void>> r) -> new MailboxEntity.CreateFolders(names, null, r));
    }

    private Reply<Void> deleteFolder(String name) {
        return es.<Reply<Void>>runCommand(r -> new MailboxEntity.DeleteFolder(name, '/', r)).reply();
    }

    private Reply<Void> rename(String from, String to) {
        return es.<Reply<Void>>runCommand(r -> new MailboxEntity.RenameFolder(from, to, '/', r)).reply();
    }

    private MessageMeta message(String folder, long uid) {
        return es.<MailboxEntity.MessageList>runCommand(r -> new MailboxEntity.ListMessages(folder, r)).reply()
                .messages().stream().filter(m -> m.uid() == uid).findFirst().orElseThrow();
    }

    /** Registers a watcher as a node would; it is told every change from now on. */
    private TestProbe<MailboxEvent> watch() {
        TestProbe<MailboxEvent> watcher = kit.createTestProbe(MailboxEvent.class);
        MailboxEntity.Watching watching = es.<MailboxEntity.Watching>runCommand(r ->
                new MailboxEntity.Watch(watcher.ref(), r)).reply();
        assertFalse(watching.incarnation().isEmpty());
        return watcher;
    }

    private static void assertRefused(String code, String message, Reply<?> reply) {
        assertFalse(reply.isOk());
        assertEquals(code, reply.errorCode());
        assertEquals(message, reply.errorMessage());
        MailboxException e = assertThrows(MailboxException.class, reply::valueOrThrow);
        assertEquals(code, e.code());
    }

    /** Everything of a mailbox state a session or the quota can observe, comparable with equals. */
    private static List<Object> describe(MailboxState s) {
        List<Object> out = new ArrayList<>(List.of(s.highestModseq(), s.usedBytes(), s.messageCount(),
                List.copyOf(s.subscriptionsWithoutFolder())));
        for (FolderState f : s.folders().values()) {
            out.add(List.of(f.name(), f.uidValidity(), f.uidNext(), String.valueOf(f.specialUse()), f.subscribed(),
                    f.highestModseq(), f.recentBoundary(), List.copyOf(f.messages()), Map.copyOf(f.expunged())));
        }
        return out;
    }
}
