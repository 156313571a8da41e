package io.mailfleet.cluster.node;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NodeActorsTest {

    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    record Msg(String text, ActorRef<String> replyTo) {
    }

    /** Replies with how often it was set up; throws on "boom". */
    private static Behavior<Msg> counter(AtomicInteger setups) {
        return Behaviors.setup(ctx -> {
            int incarnation = setups.incrementAndGet();
            return Behaviors.receiveMessage(m -> {
                if (m.text().equals("boom")) {
                    throw new IllegalStateException("simulated failure of a background actor");
                }
                m.replyTo().tell("incarnation " + incarnation);
                return Behaviors.same();
            });
        });
    }

    @Test
    void aFailingBackgroundActorIsRestartedInsteadOfStoppingForGood() {
        AtomicInteger setups = new AtomicInteger();
        ActorRef<Msg> actor = KIT.spawn(NodeActors.restarting(counter(setups)));
        TestProbe<String> probe = KIT.createTestProbe();
        actor.tell(new Msg("ping", probe.getRef()));
        probe.expectMessage("incarnation 1");
        actor.tell(new Msg("boom", probe.getRef()));
        // the restart comes after the backoff (1 s); meanwhile messages are stashed or retried
        probe.awaitAssert(Duration.ofSeconds(20), () -> {
            actor.tell(new Msg("ping", probe.getRef()));
            probe.expectMessage(Duration.ofSeconds(2), "incarnation 2");
            return null;
        });
        assertEquals(2, setups.get());
    }
}
