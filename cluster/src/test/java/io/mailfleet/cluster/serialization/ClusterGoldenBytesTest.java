package io.mailfleet.cluster.serialization;

import io.mailfleet.cluster.directory.DirectoryEntity;
import io.mailfleet.cluster.directory.DirectoryState;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.TargetOutcome;
import io.mailfleet.cluster.queue.QueuePartition;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Events and snapshots of the cluster entities as stored today must load in every later version.
 * The first run records {@code src/test/resources/golden/cluster/*}; later runs verify them.
 */
class ClusterGoldenBytesTest {

    private static KryoCodec codec;

    @BeforeAll
    static void codec() {
        codec = KryoCodec.fromDefaultConfig();
    }

    private static void golden(Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/" + name + ".b64");
    }

    static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void directoryEventsAndState() {
        golden(new DirectoryEntity.Changed(new DirectoryChange.AddAccount("user@example.com", "{PLAIN}pw")), "changed-add-account");
        golden(new DirectoryEntity.Changed(new DirectoryChange.UpdatePassword("user@example.com", "{PLAIN}x")), "changed-update-password");
        golden(new DirectoryEntity.Changed(new DirectoryChange.DeleteAccount("user@example.com")), "changed-delete-account");
        golden(new DirectoryEntity.Changed(new DirectoryChange.AddAlias("a@example.com", "user@example.com")), "changed-add-alias");
        golden(new DirectoryEntity.Changed(new DirectoryChange.RemoveAlias("a@example.com", "user@example.com")), "changed-remove-alias");
        golden(new DirectoryEntity.Changed(new DirectoryChange.SetQuota("user@example.com", 1024)), "changed-set-quota");
        golden(new DirectoryEntity.Changed(new DirectoryChange.DeleteQuota("user@example.com")), "changed-delete-quota");
        golden(new DirectoryEntity.Changed(new DirectoryChange.Restrict("user@example.com",
                DirectoryChange.RestrictionKind.SEND, true)), "changed-restrict");
        golden(new DirectoryEntity.Changed(new DirectoryChange.ReplaceRegexAliases(
                List.of(new RegexAlias("/^test[0-9]+@example\\.com$/", List.of("qa@example.com"))))), "changed-regex");
        DomainDirectory d = new DomainDirectory("example.com",
                Map.of("user@example.com", new Account("user@example.com", "{PLAIN}pw")),
                Map.of("a@example.com", List.of("user@example.com", "ext@remote.example")),
                Map.of("user@example.com", 2048L), Set.of("user@example.com"), Set.of());
        golden(new DirectoryState(d, List.of(), 7), "directory-state");
    }

    @Test
    void queueEventsAndSnapshot() {
        Envelope env = new Envelope("sender@remote.example",
                List.of(EnvelopeRecipient.of("user@example.com"), new EnvelopeRecipient("far@away.example", "SUCCESS,FAILURE", "rfc822;far@away.example")),
                "client.remote.example", "192.0.2.1", null, false, null, null, "8BITMIME", false, AT);
        BlobRef blob = new BlobRef("0000000000000ABCDEFGHJKMNP", 1234, "ab".repeat(32));
        QueuedMessage m = new QueuedMessage("0ABCDEFGHJ123456", env, blob,
                List.of(new DeliveryTarget("user@example.com", DeliveryTarget.Kind.LOCAL, "user@example.com", "tag"),
                        new DeliveryTarget("far@away.example", DeliveryTarget.Kind.REMOTE, "far@away.example", null)),
                Map.of(0, new TargetStatus(TargetStatus.State.PENDING, "queued for mailbox", AT),
                        1, new TargetStatus(TargetStatus.State.PENDING, "awaiting outbound delivery", AT)));
        golden(new QueuePartition.Accepted(m), "queue-accepted");
        golden(new QueuePartition.TargetUpdated("0ABCDEFGHJ123456", 0,
                new TargetStatus(TargetStatus.State.DELIVERED, "delivered to INBOX uid 1", AT)), "queue-target-updated");
        golden(new QueuePartition.Snapshot(List.of(m)), "queue-snapshot");
        golden(new QueuePartition.TargetsUpdated(List.of(new QueuePartition.TargetUpdated("0ABCDEFGHJ123456", 0,
                new TargetStatus(TargetStatus.State.DELIVERED, "delivered to INBOX uid 1", AT)))), "queue-targets-updated");
        TargetOutcome deferred = new TargetOutcome(1, new TargetStatus(TargetStatus.State.PENDING,
                "451 4.7.1 try again later", AT), "4.7.1", "mx.away.example[192.0.2.25]:25", false);
        TargetOutcome relayed = new TargetOutcome(1, new TargetStatus(TargetStatus.State.DELIVERED,
                "250 2.0.0 Ok: queued", AT), "2.0.0", "mx.away.example[192.0.2.25]:25", true);
        golden(new QueuePartition.RemoteOutcomes("0ABCDEFGHJ123456", List.of(deferred), 1, AT.plusSeconds(300)),
                "queue-remote-outcomes");
        golden(new QueuePartition.RemoteOutcomes("0ABCDEFGHJ123456", List.of(relayed), 2, null),
                "queue-remote-outcomes-final");
        golden(new QueuePartition.Reported("0ABCDEFGHJ123456", List.of(1), false, "0ABCDEFGHJ654321"), "queue-reported");
        golden(new QueuePartition.Removed("0ABCDEFGHJ123456", "deleted by the administrator"), "queue-removed");
        golden(new QueuePartition.SnapshotV2(List.of(m), List.of(new MessageProgress("0ABCDEFGHJ123456", 1,
                AT.plusSeconds(300), List.of(deferred), List.of(0), true))), "queue-snapshot-v2");
    }

    @Test
    void queueRequireTlsEventAndSnapshot() {
        Envelope env = new Envelope("sender@example.com", List.of(EnvelopeRecipient.of("far@away.example")),
                "client.example.com", "192.0.2.7", "sender@example.com", true, null, null, "7BIT", false, AT);
        BlobRef blob = new BlobRef("0000000000000ABCDEFGHJKMNQ", 321, "cd".repeat(32));
        QueuedMessage m = new QueuedMessage("0ABCDEFGHJ777777", env, blob,
                List.of(new DeliveryTarget("far@away.example", DeliveryTarget.Kind.REMOTE, "far@away.example", null)),
                Map.of(0, new TargetStatus(TargetStatus.State.PENDING, "awaiting outbound delivery", AT)));
        golden(new QueuePartition.RequireTlsMarked("0ABCDEFGHJ777777"), "queue-require-tls-marked");
        golden(new QueuePartition.SnapshotV4(List.of(m), List.of(MessageProgress.initial("0ABCDEFGHJ777777")), List.of(),
                List.of("0ABCDEFGHJ777777")), "queue-snapshot-v4");
    }

    @Test
    void mailboxEvents() throws IOException {
        BlobRef blob = new BlobRef("0000000000000ABCDEFGHJKMNP", 1234, "ab".repeat(32));
        MessageMeta meta = new MessageMeta(7, blob, AT, Set.of("\\Seen"), 42, "0ABCDEFGHJ123456#0");
        MessageSummary summary = MessageParser.parse(new ByteArrayInputStream(("From: A <a@example.com>\r\n"
                + "To: b@example.com\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\nMessage-ID: <1@example.com>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--x--\r\n").getBytes(StandardCharsets.US_ASCII)));
        golden(new MailboxEntity.FolderCreated("Archive", 1_700_000_000L, "\\Archive", true), "mailbox-folder-created");
        golden(new MailboxEntity.MessageAppended("INBOX", meta), "mailbox-message-appended");
        golden(new MailboxEntity.MessagesAppended("INBOX", List.of(meta), Map.of(7L, summary)),
                "mailbox-messages-appended");
        golden(new MailboxEntity.SummariesAttached("INBOX", Map.of(7L, summary)), "mailbox-summaries-attached");
        golden(new MailboxEntity.FlagsUpdated("INBOX", List.of(new FlagUpdate(7, Set.of("\\Seen", "\\Flagged"), 43))),
                "mailbox-flags-updated");
        golden(new MailboxEntity.MessagesExpunged("INBOX", List.of(7L), 44), "mailbox-messages-expunged");
        golden(new MailboxEntity.FolderRenamed("Old", "New", '/', 1_700_000_001L), "mailbox-folder-renamed");
        golden(new MailboxEntity.FolderDeleted("New"), "mailbox-folder-deleted");
        golden(new MailboxEntity.SubscriptionChanged("Archive", false), "mailbox-subscription-changed");
        golden(new MailboxEntity.RecentClaimed("INBOX", 7), "mailbox-recent-claimed");
        golden(new MailboxEntity.UidValidityAdopted("INBOX", 1_276_528_487L), "mailbox-uidvalidity-adopted");
        golden(new MailboxEntity.UidNextRaised("INBOX", 12), "mailbox-uidnext-raised");
        golden(new MailboxEntity.HighestModseqRaised("INBOX", 4_294_967_296L), "mailbox-highest-modseq-raised");
        golden(new io.mailfleet.core.mailbox.FolderUids(1_276_528_487L, 12, 3, true), "mailbox-folder-uids");
        golden(new io.mailfleet.cluster.mailbox.MailboxSnapshotV3(List.of(new io.mailfleet.cluster.mailbox.MailboxSnapshotV2.Folder(
                "INBOX", 1_700_000_000L, 8, null, true, 44, 6, List.of(meta), Map.of(7L, summary), Map.of(5L, 40L))),
                Map.of("0ABCDEFGHJ123456#0", 7L), 44, 1234, 1_700_000_001L, List.of("Gone")), "mailbox-snapshot-v3");
    }
}
