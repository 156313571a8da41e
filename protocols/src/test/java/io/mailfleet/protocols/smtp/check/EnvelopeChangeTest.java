package io.mailfleet.protocols.smtp.check;

import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class EnvelopeChangeTest {

    private static final Envelope RECEIVED = new Envelope("from@remote.example",
            List.of(new EnvelopeRecipient("a@example.com", "NEVER", null), EnvelopeRecipient.of("b@example.com")),
            "helo.example", "192.0.2.1", null, false, "HDRS", "env-1", "7BIT", false, Instant.EPOCH);

    @Test
    void withoutChangesTheEnvelopeIsTheReceivedOne() {
        assertSame(RECEIVED, EnvelopeChange.apply(RECEIVED, List.of("some other fact")));
    }

    @Test
    void changesOfSeveralChecksApplyInOrder() {
        Envelope e = EnvelopeChange.apply(RECEIVED, List.of(
                new EnvelopeChange.AddRecipient("c@example.com", "FAILURE", "rfc822;c@example.com"),
                new EnvelopeChange.DeleteRecipient("<A@EXAMPLE.com>"),
                new EnvelopeChange.ChangeSender("new@remote.example", "FULL", null),
                // a later check adds what an earlier deleted, and adds nothing twice
                new EnvelopeChange.AddRecipient("a@example.com", null, null),
                new EnvelopeChange.AddRecipient("C@example.com", null, null),
                new EnvelopeChange.ChangeSender("", null, "env-2")));
        assertEquals(List.of(EnvelopeRecipient.of("b@example.com"),
                new EnvelopeRecipient("c@example.com", "FAILURE", "rfc822;c@example.com"),
                EnvelopeRecipient.of("a@example.com")), e.recipients());
        assertEquals("", e.sender());
        assertEquals("FULL", e.ret());
        assertEquals("env-2", e.envId());
        assertEquals(RECEIVED.receivedAt(), e.receivedAt());
    }

    @Test
    void everyRecipientDeletedLeavesNone() {
        Envelope e = EnvelopeChange.apply(RECEIVED, List.of(new EnvelopeChange.DeleteRecipient("a@example.com"),
                new EnvelopeChange.DeleteRecipient("B@example.com")));
        assertEquals(List.of(), e.recipients());
    }
}
