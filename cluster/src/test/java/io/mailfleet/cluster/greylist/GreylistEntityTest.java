package io.mailfleet.cluster.greylist;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.GreylistDecision.Outcome;
import io.mailfleet.core.greylist.GreylistPolicy;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GreylistEntity} on Pekko's persistence test kit with a clock the test moves: delay, pass,
 * auto-whitelisting, expiry, batching (a known triplet writes nothing; many decisions, one event) and
 * recovery of what was written.
 */
class GreylistEntityTest {

    private static final GreylistPolicy POLICY = new GreylistPolicy(Duration.ofSeconds(300), Duration.ofDays(35), 2,
            Duration.ofHours(1));

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<GreylistEntity.Command, GreylistEntity.Event, GreylistState> es;
    private final MovingClock clock = new MovingClock();

    /** A clock the test advances. */
    static final class MovingClock extends Clock {
        long millis = 1_800_000_000_000L;

        void advance(Duration d) {
            millis += d.toMillis();
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(),
                GreylistEntity.create("198.51.100.0/24", POLICY, clock),
                EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(false));
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private GreylistDecision decide(String senderRecipient) {
        EventSourcedBehaviorTestKit.CommandResultWithReply<GreylistEntity.Command, GreylistEntity.Event, GreylistState,
                GreylistEntity.Decided> r = es.runCommand(reply -> new GreylistEntity.Decide(senderRecipient, reply));
        assertTrue(r.hasNoEvents(), "a decision alone writes nothing");
        return r.reply().decision();
    }

    private GreylistDecision decideListed(String senderRecipient) {
        return es.<GreylistEntity.Decided>runCommand(reply -> new GreylistEntity.Decide(senderRecipient, true, reply))
                .reply().decision();
    }

    @Test
    void aDnsblListedClientIsNeverAutoWhitelisted() {
        decideListed("s1 r");
        decideListed("s2 r");
        clock.advance(Duration.ofSeconds(301));
        assertEquals(Outcome.PASSED_RETRY, decideListed("s1 r").outcome(), "a listed client's retry still passes");
        assertEquals(Outcome.PASSED_RETRY, decideListed("s2 r").outcome());
        assertEquals(Outcome.NEW, decideListed("s3 r").outcome(), "its passed retries do not whitelist it");
        assertEquals(0, es.<Greylist.ClientView>runCommand(GreylistEntity.GetClient::new).reply().passedRetries());

        decide("s4 r");
        decide("s5 r");
        clock.advance(Duration.ofSeconds(301));
        decide("s4 r");
        decide("s5 r");
        assertEquals(Outcome.CLIENT_WHITELISTED, decide("s6 r").outcome(), "unlisted clients of the network are");
        assertEquals(Outcome.NEW, decideListed("s7 r").outcome(), "the network's whitelisting skips a listed client");
        assertEquals(Outcome.KNOWN, decideListed("s1 r").outcome());
    }

    private GreylistDecision decideProvisionally(String senderRecipient) {
        return es.<GreylistEntity.Decided>runCommand(reply -> new GreylistEntity.Decide(senderRecipient, false, true,
                reply)).reply().decision();
    }

    @Test
    void aProvisionalDeferralIsAnsweredButNotRemembered() {
        assertEquals(new GreylistDecision(Outcome.NEW, 300), decideProvisionally("k@good.example r"));
        assertTrue(flush().isEmpty(), "nothing held: the end of data decides");
        clock.advance(Duration.ofSeconds(301));
        assertEquals(Outcome.NEW, decideProvisionally("k@good.example r").outcome(),
                "the provisional attempt did not start the delay");
        assertEquals(Outcome.NEW, decide("k@good.example r").outcome(), "the final decision remembers it");
        assertEquals(new GreylistDecision(Outcome.TOO_EARLY, 300), decideProvisionally("k@good.example r"));
        clock.advance(Duration.ofSeconds(301));
        assertEquals(Outcome.PASSED_RETRY, decideProvisionally("k@good.example r").outcome(),
                "a pass is remembered even when asked provisionally");
        assertEquals(Outcome.KNOWN, decide("k@good.example r").outcome());
        assertEquals(1, flush().size());
    }

    private List<GreylistEntity.Event> flush() {
        return es.runCommand(new GreylistEntity.Flush()).events();
    }

    @Test
    void aNewTripletIsDeferredUntilTheDelayThenPassesAndIsRemembered() {
        assertEquals(new GreylistDecision(Outcome.NEW, 300), decide("a@x.org b@y.com"));
        clock.advance(Duration.ofSeconds(100));
        assertEquals(new GreylistDecision(Outcome.TOO_EARLY, 200), decide("a@x.org b@y.com"));
        clock.advance(Duration.ofSeconds(200));
        assertEquals(Outcome.PASSED_RETRY, decide("a@x.org b@y.com").outcome());
        assertEquals(Outcome.KNOWN, decide("a@x.org b@y.com").outcome());
        assertEquals(Outcome.NEW, decide("a@x.org c@y.com").outcome(), "another recipient is another triplet");

        List<GreylistEntity.Event> written = flush();
        assertEquals(1, written.size(), "five decisions, one batch");
        assertTrue(flush().isEmpty(), "nothing held, nothing written");

        clock.advance(Duration.ofMinutes(1));
        assertEquals(Outcome.KNOWN, decide("a@x.org b@y.com").outcome());
        assertTrue(flush().isEmpty(), "a known triplet seen again within the hour costs no write");

        GreylistState recovered = es.restart().state();
        assertTrue(recovered.triplets().get("a@x.org b@y.com").passed());
        assertFalse(recovered.triplets().get("a@x.org c@y.com").passed());
        assertEquals(1, recovered.client().passedRetries());
        assertEquals(Outcome.KNOWN, decide("a@x.org b@y.com").outcome(), "the pass survives recovery");
    }

    @Test
    void aClientIsWhitelistedAfterItsRetriesPassedAndEverythingExpiresAfterMaxAge() {
        decide("s1 r");
        decide("s2 r");
        clock.advance(Duration.ofSeconds(301));
        assertEquals(Outcome.PASSED_RETRY, decide("s1 r").outcome());
        assertEquals(Outcome.PASSED_RETRY, decide("s2 r").outcome());
        assertEquals(Outcome.CLIENT_WHITELISTED, decide("s3 r").outcome(), "2 passed retries whitelist the client");
        Greylist.ClientView view = es.<Greylist.ClientView>runCommand(GreylistEntity.GetClient::new).reply();
        assertTrue(view.whitelisted());
        assertEquals(List.of("s1 r", "s2 r"), view.passedTriplets());
        flush();

        clock.advance(Duration.ofDays(35).plusSeconds(1));
        assertEquals(Outcome.NEW, decide("s1 r").outcome(), "client and triplet forgotten after max age");
        flush();
        GreylistState pruned = es.restart().state();
        assertEquals(List.of("s1 r"), List.copyOf(pruned.triplets().keySet()), "expired triplets are dropped");
        assertEquals(0, pruned.client().passedRetries());
    }
}
