package io.mailfleet.cluster.greylist;

import io.mailfleet.core.greylist.Greylist;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.GreylistDecision.Outcome;
import io.mailfleet.core.greylist.GreylistPolicy;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The greylist of one client network (docs/smtp-defences.md): decides each attempt in memory and
 * writes the decisions it changed as one batch at most every {@link GreylistPolicy#flushInterval()}
 * (and before it stops), so a known triplet's decision costs no journal write and a crash forgets at
 * most the decisions of the last interval.
 */
public final class GreylistEntity extends EventSourcedBehavior<GreylistEntity.Command, GreylistEntity.Event, GreylistState> {

    /** Sharding type; the entity id is the client network ({@code 192.0.2.0/24}, {@code 2001:db8::/64}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Greylist");

    private static final String FLUSH_TIMER = "flush";
    /** A known triplet's last-seen time is rewritten only when older than this (or 1 % of the max age). */
    private static final Duration SEEN_GRANULARITY = Duration.ofHours(1);

    /** Messages the entity accepts. */
    public sealed interface Command permits Decide, GetClient, Flush, Stop {
    }

    /**
     * Decide an attempt of the triplet {@code senderRecipient} ({@code "sender recipient"}) now.
     *
     * @param suspect     the client is on a DNS block list or its sender failed SPF: an auto-whitelisting of
     *                    its network does not apply to it, and its passed retry does not count toward one
     * @param provisional a deferral is answered but not remembered (the final decision comes later)
     */
    public record Decide(String senderRecipient, boolean suspect, boolean provisional, ActorRef<Decided> replyTo)
            implements Command {

        public Decide(String senderRecipient, boolean suspect, ActorRef<Decided> replyTo) {
            this(senderRecipient, suspect, false, replyTo);
        }

        public Decide(String senderRecipient, ActorRef<Decided> replyTo) {
            this(senderRecipient, false, false, replyTo);
        }
    }

    /** Reply to {@link Decide}. */
    public record Decided(GreylistDecision decision) {
    }

    /** What is remembered of this client network. */
    public record GetClient(ActorRef<Greylist.ClientView> replyTo) implements Command {
    }

    /** Internal: write the decisions held in memory. */
    public record Flush() implements Command {
    }

    /** Sharding's stop message: write what is held, then stop. */
    public record Stop() implements Command {
    }

    /** Persisted batches. */
    public sealed interface Event permits Recorded {
    }

    /**
     * Triplets changed since the last batch (their new records), the client record when it changed
     * (else null), and the time before which unused entries are forgotten.
     */
    public record Recorded(Map<String, TripletRecord> triplets, ClientRecord client, long forgetBefore) implements Event {
        public Recorded {
            triplets = Map.copyOf(triplets);
        }
    }

    private final String network;
    private final GreylistPolicy policy;
    private final Clock clock;
    private final TimerScheduler<Command> timers;
    /** Decisions not written yet; the actor's own memory, read together with the state. */
    private final Map<String, TripletRecord> pending = new HashMap<>();
    private ClientRecord pendingClient;

    private GreylistEntity(String network, GreylistPolicy policy, Clock clock, TimerScheduler<Command> timers) {
        super(PersistenceId.of(TYPE_KEY.name(), network));
        this.network = network;
        this.policy = policy;
        this.clock = clock;
        this.timers = timers;
    }

    public static Behavior<Command> create(String network, GreylistPolicy policy, Clock clock) {
        return Behaviors.withTimers(timers -> new GreylistEntity(network, policy, clock, timers));
    }

    @Override
    public GreylistState emptyState() {
        return GreylistState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(50, 2);
    }

    @Override
    public CommandHandler<Command, Event, GreylistState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Decide.class, this::onDecide)
                .onCommand(GetClient.class, this::onGetClient)
                .onCommand(Flush.class, (s, c) -> flush())
                .onCommand(Stop.class, (s, c) -> {
                    timers.cancel(FLUSH_TIMER);
                    return pending.isEmpty() && pendingClient == null ? Effect().stop()
                            : Effect().persist(takeBatch()).thenStop();
                })
                .build();
    }

    private Effect<Event, GreylistState> onDecide(GreylistState state, Decide d) {
        long now = clock.millis();
        long forget = now - policy.maxAge().toMillis();
        long granularity = Math.min(SEEN_GRANULARITY.toMillis(), policy.maxAge().toMillis() / 100);
        ClientRecord client = client(state, forget);
        TripletRecord t = pending.containsKey(d.senderRecipient()) ? pending.get(d.senderRecipient())
                : state.triplets().get(d.senderRecipient());
        if (t != null && t.lastSeen() < forget) {
            t = null;
        }
        long delay = policy.delay().toMillis();
        GreylistDecision decision;
        if (!d.suspect() && policy.autoWhitelistClients() > 0
                && client.passedRetries() >= policy.autoWhitelistClients()) {
            if (now - client.lastSeen() >= granularity) {
                pendingClient = client.seen(now);
            }
            decision = new GreylistDecision(Outcome.CLIENT_WHITELISTED, 0);
        } else if (t == null) {
            if (!d.provisional()) {
                pending.put(d.senderRecipient(), new TripletRecord(now, now, false));
            }
            decision = new GreylistDecision(Outcome.NEW, seconds(delay));
        } else if (t.passed()) {
            if (now - t.lastSeen() >= granularity) {
                pending.put(d.senderRecipient(), t.seen(now));
            }
            decision = new GreylistDecision(Outcome.KNOWN, 0);
        } else if (now - t.firstSeen() >= delay) {
            pending.put(d.senderRecipient(), t.pass(now));
            if (!d.suspect()) {
                pendingClient = client.passed(now);
            }
            decision = new GreylistDecision(Outcome.PASSED_RETRY, 0);
        } else {
            if (!d.provisional()) {
                pending.put(d.senderRecipient(), t.seen(now));
            }
            decision = new GreylistDecision(Outcome.TOO_EARLY, seconds(t.firstSeen() + delay - now));
        }
        if ((!pending.isEmpty() || pendingClient != null) && !timers.isTimerActive(FLUSH_TIMER)) {
            timers.startSingleTimer(FLUSH_TIMER, new Flush(), policy.flushInterval());
        }
        return Effect().none().thenReply(d.replyTo(), s -> new Decided(decision));
    }

    private static long seconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    private ClientRecord client(GreylistState state, long forget) {
        ClientRecord c = pendingClient != null ? pendingClient : state.client();
        return c.lastSeen() < forget ? ClientRecord.NONE : c;
    }

    private Effect<Event, GreylistState> onGetClient(GreylistState state, GetClient g) {
        long now = clock.millis();
        long forget = now - policy.maxAge().toMillis();
        Map<String, TripletRecord> all = new HashMap<>(state.triplets());
        all.putAll(pending);
        List<String> waiting = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        all.forEach((k, t) -> {
            if (t.lastSeen() >= forget) {
                (t.passed() ? passed : waiting).add(k);
            }
        });
        waiting.sort(null);
        passed.sort(null);
        ClientRecord c = client(state, forget);
        boolean whitelisted = policy.autoWhitelistClients() > 0 && c.passedRetries() >= policy.autoWhitelistClients();
        return Effect().none().thenReply(g.replyTo(),
                s -> new Greylist.ClientView(network, c.passedRetries(), whitelisted, waiting, passed));
    }

    private Effect<Event, GreylistState> flush() {
        if (pending.isEmpty() && pendingClient == null) {
            return Effect().none();
        }
        return Effect().persist(takeBatch());
    }

    /** The held decisions as one event; commands arriving while it is written wait for it (stashed). */
    private Recorded takeBatch() {
        Recorded batch = new Recorded(pending, pendingClient, clock.millis() - policy.maxAge().toMillis());
        pending.clear();
        pendingClient = null;
        return batch;
    }

    @Override
    public EventHandler<GreylistState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Recorded.class, GreylistState::with)
                .build();
    }
}
