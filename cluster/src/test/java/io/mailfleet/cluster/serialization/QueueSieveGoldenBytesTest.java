package io.mailfleet.cluster.serialization;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueuePartition;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.SieveLogEntity;
import io.mailfleet.cluster.queue.SieveLogState;
import io.mailfleet.cluster.queue.SievePlan;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Sieve-at-delivery events and snapshots of the queue (ids 2026-2038) as stored today must load later. */
class QueueSieveGoldenBytesTest {

    private static KryoCodec codec;
    static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    @BeforeAll
    static void codec() {
        codec = KryoCodec.fromDefaultConfig();
    }

    private static void golden(Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/" + name + ".b64");
    }

    @Test
    void sieveDecisionsAndSnapshot() {
        BlobRef blob = new BlobRef("0000000000000ABCDEFGHJKMNP", 1234, "ab".repeat(32));
        BlobRef edited = new BlobRef("0000000000000ABCDEFGHJKMNQ", 1240, "cd".repeat(32));
        Envelope env = new Envelope("sender@remote.example", List.of(EnvelopeRecipient.of("user@example.com")),
                "client.remote.example", "192.0.2.1", null, false, null, null, "8BITMIME", false, AT);
        QueuedMessage m = new QueuedMessage("0ABCDEFGHJ123456", env, blob,
                List.of(new DeliveryTarget("user@example.com", DeliveryTarget.Kind.LOCAL, "user@example.com", null)),
                Map.of(0, new TargetStatus(TargetStatus.State.PENDING, "queued for mailbox", AT)));
        Envelope vacationEnv = new Envelope("", List.of(EnvelopeRecipient.of("sender@remote.example")),
                "mail.example.com", "127.0.0.1", null, false, null, null, "8BITMIME", false, AT);
        QueuedMessage reply = new QueuedMessage("0ABCDEFGHJ654321", vacationEnv, blob,
                List.of(new DeliveryTarget("sender@remote.example", DeliveryTarget.Kind.REMOTE, "sender@remote.example", null)),
                Map.of(0, new TargetStatus(TargetStatus.State.PENDING, "awaiting outbound delivery", AT)));
        SievePlan plan = new SievePlan(edited, List.of(new SievePlan.Store("Junk", List.of("\\Seen")),
                new SievePlan.Store("INBOX", List.of())), "");
        golden(new QueuePartition.SieveDecided("0ABCDEFGHJ123456", 0, plan, null, List.of(reply)), "queue-sieve-decided");
        golden(new QueuePartition.SieveDecided("0ABCDEFGHJ123456", 0, new SievePlan(blob, List.of(), ""),
                new TargetStatus(TargetStatus.State.FAILED, "rejected by the recipient's Sieve filter: no", AT), List.of()),
                "queue-sieve-rejected");
        golden(new QueuePartition.SnapshotV3(List.of(m), List.of(MessageProgress.initial("0ABCDEFGHJ123456")),
                List.of(new QueuePartition.PlannedTarget("0ABCDEFGHJ123456", 0, plan))), "queue-snapshot-v3");
        golden(new SieveLogEntity.VacationRecorded("h\0sender@remote.example", AT.plusSeconds(86400), "Q:0", AT),
                "sievelog-vacation");
        golden(new SieveLogEntity.DuplicateTracked("h\0<id@x>", AT.plusSeconds(3600), "Q:0", AT), "sievelog-duplicate");
        golden(new SieveLogState(Map.of("h\0sender@remote.example", new SieveLogState.Mark(AT, "Q:0")),
                Map.of("h\0<id@x>", new SieveLogState.Mark(AT, "Q:1"))), "sievelog-state");
    }
}
