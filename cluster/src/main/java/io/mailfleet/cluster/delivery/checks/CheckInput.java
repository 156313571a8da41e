package io.mailfleet.cluster.delivery.checks;

import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.core.queue.Envelope;

import java.util.List;

/**
 * What a check sees: the SMTP envelope, the local target being delivered (checks may apply
 * per-recipient policy), the message parsed once, and the results of the checks that ran before it.
 */
public record CheckInput(Envelope envelope, DeliveryTarget target, ParsedMessage message, List<Named> earlier) {
    public CheckInput {
        earlier = List.copyOf(earlier);
    }

    /** A result with the name of the check that gave it. */
    public record Named(String check, CheckResult result) {
    }
}
