package io.mailfleet.cluster.delivery.remote;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.MessageProgress;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetOutcome;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.RemoteTransport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteRoundTest {

    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    private static QueuedMessage message() {
        Envelope env = new Envelope("s@example.com", List.of(EnvelopeRecipient.of("x@a.example"),
                EnvelopeRecipient.of("y@b.example"), EnvelopeRecipient.of("z@c.example")), "client", "192.0.2.1", null,
                false, null, null, "7BIT", false, NOW.minusSeconds(60));
        return new QueuedMessage("Q", env, new BlobRef("b", 1, null), List.of(
                new DeliveryTarget("x@a.example", DeliveryTarget.Kind.REMOTE, "x@a.example", null),
                new DeliveryTarget("y@b.example", DeliveryTarget.Kind.REMOTE, "y@b.example", null),
                new DeliveryTarget("z@c.example", DeliveryTarget.Kind.REMOTE, "z@c.example", null)),
                Map.of(0, TargetStatus.pending("awaiting outbound delivery"), 1, TargetStatus.pending("awaiting"),
                        2, TargetStatus.pending("awaiting")));
    }

    private static RemoteTransport.RecipientOutcome answer(String rcpt, RemoteTransport.Kind kind, String status,
                                                          boolean remoteDsn) {
        return new RemoteTransport.RecipientOutcome(EnvelopeRecipient.of(rcpt), kind, status, "said " + status,
                "mx." + rcpt.substring(rcpt.indexOf('@') + 1) + "[192.0.2.2]:25", remoteDsn);
    }

    @Test
    void eachAnswerBecomesTheTargetsStatusAndATemporaryOneDefersTheMessage() {
        RemoteRound.Result r = RemoteRound.of(message(), MessageProgress.initial("Q"), List.of(0, 1, 2), List.of(
                answer("x@a.example", RemoteTransport.Kind.DELIVERED, "2.0.0", false),
                answer("y@b.example", RemoteTransport.Kind.PERMANENT, "5.1.1", true),
                answer("z@c.example", RemoteTransport.Kind.TEMPORARY, "4.4.1", true)), false, Duration.ofDays(5), NOW);
        assertTrue(r.deferred());
        List<TargetOutcome> o = r.outcomes();
        assertEquals(TargetStatus.State.DELIVERED, o.get(0).status().state());
        assertTrue(o.get(0).successNotice(), "a relay without DSN support: we owe the success notice");
        assertEquals(TargetStatus.State.FAILED, o.get(1).status().state());
        assertEquals("5.1.1", o.get(1).dsnStatus());
        assertEquals(TargetStatus.State.PENDING, o.get(2).status().state());
        assertEquals("mx.c.example[192.0.2.2]:25", o.get(2).remoteMta());
    }

    @Test
    void aRoundWithoutAnswersDefersWithALocalError() {
        RemoteRound.Result r = RemoteRound.of(message(), MessageProgress.initial("Q"), List.of(0), null, false,
                Duration.ofDays(5), NOW);
        assertTrue(r.deferred());
        assertEquals(new TargetOutcome(0, new TargetStatus(TargetStatus.State.PENDING, "local error: no delivery result",
                NOW), "4.3.0", "none", false), r.outcomes().get(0));
    }

    @Test
    void anExpiredMessageFailsItsWaitingTargetsWithTheLastError() {
        RemoteRound.Result r = RemoteRound.of(message(), MessageProgress.initial("Q"), List.of(0), null, true,
                Duration.ofDays(5), NOW);
        assertFalse(r.deferred());
        TargetOutcome o = r.outcomes().get(0);
        assertEquals(TargetStatus.State.FAILED, o.status().state());
        assertEquals("4.4.7", o.dsnStatus());
        assertEquals("message expired after 5d in the queue; last error: awaiting outbound delivery", o.status().reason());
    }

    @Test
    void anOperatorBounceFailsEveryWaitingTargetNotInFlight() {
        List<TargetOutcome> failed = RemoteRound.bounced(message(), MessageProgress.initial("Q"), i -> i == 1, NOW);
        assertEquals(List.of(0, 2), failed.stream().map(TargetOutcome::index).toList());
        assertEquals("returned to the sender by the administrator", failed.get(0).status().reason());
        assertEquals("5.0.0", failed.get(0).dsnStatus());
    }
}
