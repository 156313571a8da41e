package io.mailfleet.cluster.delivery.expansion;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RecipientExpansionTest {

    private static final DirectoryView VIEW = DirectoryView.of(List.of(new DomainDirectory("example.com",
            Map.of("a@example.com", new Account("a@example.com", "{PLAIN}x"),
                    "b@example.com", new Account("b@example.com", "{PLAIN}x")),
            Map.of("team@example.com", List.of("a@example.com", "b@example.com", "friend@elsewhere.example"),
                    "also-a@example.com", List.of("a@example.com")),
            Map.of(), Set.of(), Set.of())), List.of());

    private final RecipientExpansion expansion = new RecipientExpansion(
            new ResolverOptions("+", "postmaster@example.com", ResolverOptions.DEFAULT_MAX_DEPTH), a -> a);

    private static Envelope to(String... rcpts) {
        return new Envelope("s@remote.example", java.util.Arrays.stream(rcpts).map(EnvelopeRecipient::of).toList(),
                "client.example", "192.0.2.1", null, false, null, null, "7BIT", false, Instant.now());
    }

    private QueuedMessage expand(String... rcpts) {
        return expansion.expand("Q", to(rcpts), new BlobRef("blob", 10, null), VIEW);
    }

    @Test
    void anAliasExpandsToItsLocalAndRemoteMembers() {
        QueuedMessage m = expand("team@example.com");
        assertEquals(List.of(
                new DeliveryTarget("team@example.com", DeliveryTarget.Kind.LOCAL, "a@example.com", null),
                new DeliveryTarget("team@example.com", DeliveryTarget.Kind.LOCAL, "b@example.com", null),
                new DeliveryTarget("team@example.com", DeliveryTarget.Kind.REMOTE, "friend@elsewhere.example", null)),
                m.targets());
        assertEquals(TargetStatus.State.PENDING, m.status().get(2).state());
    }

    @Test
    void oneCopyPerMailboxHoweverManyRecipientsLeadToIt() {
        QueuedMessage m = expand("a@example.com", "also-a@example.com", "team@example.com");
        assertEquals(List.of("a@example.com", "b@example.com", "friend@elsewhere.example"),
                m.targets().stream().map(DeliveryTarget::address).toList());
    }

    @Test
    void anUnknownLocalUserFailsAtOnceAndASubaddressKeepsItsDetail() {
        QueuedMessage m = expand("nobody@example.com", "a+news@example.com");
        assertEquals(DeliveryTarget.Kind.UNDELIVERABLE, m.targets().get(0).kind());
        assertEquals(new TargetStatus(TargetStatus.State.FAILED, "user unknown", m.status().get(0).at()), m.status().get(0));
        assertEquals(new DeliveryTarget("a+news@example.com", DeliveryTarget.Kind.LOCAL, "a@example.com", "news"),
                m.targets().get(1));
    }
}
