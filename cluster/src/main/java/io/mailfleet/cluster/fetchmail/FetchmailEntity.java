package io.mailfleet.cluster.fetchmail;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One remote mailbox of {@code fetchmail.cf} (docs/moving-in.md#fetchmail): polled by this entity's own
 * timer, so by exactly one node of the cluster at a time. It remembers the remote ids it has queued
 * (persisted one by one before the remote copy may be deleted), and the outcome of each poll; a failed
 * poll is recorded with its error and the next one backs off exponentially. The remote I/O runs on
 * the blocking dispatcher; the entity only starts it and records what it reports.
 *
 * <p>After a good poll of a source its poller can watch (IMAP IDLE), the entity keeps a watch open: an
 * announcement of new mail starts a poll at once (or right after the running one), so mail arrives
 * without waiting for the timer, which goes on as a safety net. A watch that fails is retried after the
 * next good poll, at most once per poll interval; a server without IDLE is only polled. The watch lives
 * and dies with this incarnation of the entity: a rebalance, a node leaving or passivation (a source no
 * longer configured is no longer woken) closes it, and the next owner opens its own.
 */
public final class FetchmailEntity extends EventSourcedBehavior<FetchmailEntity.Command, FetchmailEntity.Event,
        FetchmailState> {

    /** Sharding type; the entity id is the source's name ({@code user@host[/folder]}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Fetchmail");

    private static final Logger LOG = LoggerFactory.getLogger(FetchmailEntity.class);
    private static final String POLL_TIMER = "poll";
    /** How long the poll thread waits for one id to be persisted. */
    private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(30);

    /** Messages the entity accepts. */
    public sealed interface Command permits Wake, PollNow, GetStatus, RecordFetched, Tick, PollDone, Stop,
            RemoteNewMail, WatchEnded {
    }

    /** Starts the entity (and so its timer) if it is not running; nodes send it periodically. */
    public record Wake() implements Command {
    }

    /** Poll now (unless a poll is running) and answer when that poll has ended. */
    public record PollNow(ActorRef<SourceStatus> replyTo) implements Command {
    }

    /** The source's status now. */
    public record GetStatus(ActorRef<SourceStatus> replyTo) implements Command {
    }

    /** From the poll thread: persist that {@code id} is queued; answered once it is. */
    public record RecordFetched(String id, ActorRef<Recorded> replyTo) implements Command {
    }

    /** Reply to {@link RecordFetched}. */
    public record Recorded(String id) {
    }

    /** Internal: the poll timer fired. */
    public record Tick() implements Command {
    }

    /** Internal: the poll thread ended; {@code error} null on success. */
    public record PollDone(int fetched, List<String> remoteIds, String error) implements Command {
        public PollDone {
            remoteIds = List.copyOf(remoteIds);
        }
    }

    /** Sharding's stop message. */
    public record Stop() implements Command {
    }

    /** Internal: the watch numbered {@code watch} saw new mail on the remote. */
    public record RemoteNewMail(int watch) implements Command {
    }

    /** Internal: the watch numbered {@code watch} ended by itself ({@link RemoteMailPoller.WatchListener#ended}). */
    public record WatchEnded(int watch, boolean unsupported, String error) implements Command {
    }

    /**
     * A source's status, as {@code fetchmail list} shows it.
     *
     * @param lastPoll     epoch millis of the end of the last poll, 0 never
     * @param nextPoll     epoch millis of the next scheduled poll
     * @param fetchedTotal messages queued from this source since it was first polled
     * @param lastFetched  messages queued by the last poll
     * @param lastError    the last poll's error, null when it succeeded
     * @param failures     consecutive failed polls
     * @param watching     a connection waits in IMAP IDLE for new mail on the remote
     */
    public record SourceStatus(String name, boolean polling, long lastPoll, long lastSuccess, long nextPoll,
                               long fetchedTotal, int lastFetched, String lastError, int failures, int knownIds,
                               boolean watching) {
    }

    /** Persisted events. */
    public sealed interface Event permits Fetched, PollSucceeded, PollFailed {
    }

    /** The remote message {@code id} is in the local queue. */
    public record Fetched(String id) implements Event {
    }

    /** A poll ended well at {@code at}, having queued {@code fetched}; the remote listed {@code remoteIds}. */
    public record PollSucceeded(long at, int fetched, List<String> remoteIds) implements Event {
        public PollSucceeded {
            remoteIds = List.copyOf(remoteIds);
        }
    }

    /** A poll failed at {@code at} with {@code error}, after queueing {@code fetched}. */
    public record PollFailed(long at, int fetched, String error) implements Event {
    }

    private final String name;
    private final RemoteMailPoller poller;
    private final FetchmailPolicy policy;
    private final Clock clock;
    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final Executor blocking;
    private final List<ActorRef<SourceStatus>> waiting = new ArrayList<>();
    private boolean polling;
    private boolean stopWhenDone;
    private long nextPoll;
    /** The open watch, null when none; {@code watchNumber} tells its reports from an earlier one's. */
    private RemoteMailPoller.Watch watch;
    private int watchNumber;
    /** Epoch millis before which no new watch is opened (after one failed). */
    private long watchNotBefore;
    /** The server does not offer IDLE: poll only. */
    private boolean watchUnsupported;
    /** New mail was announced while a poll ran: poll again when it ends. */
    private boolean pollAgain;

    private FetchmailEntity(String name, RemoteMailPoller poller, FetchmailPolicy policy, Clock clock,
                            ActorContext<Command> ctx, TimerScheduler<Command> timers) {
        super(PersistenceId.of(TYPE_KEY.name(), name));
        this.name = name;
        this.poller = poller;
        this.policy = policy;
        this.clock = clock;
        this.ctx = ctx;
        this.timers = timers;
        this.blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    public static Behavior<Command> create(String name, RemoteMailPoller poller, FetchmailPolicy policy, Clock clock) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new FetchmailEntity(name, poller, policy, clock, ctx, timers)));
    }

    @Override
    public FetchmailState emptyState() {
        return FetchmailState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public SignalHandler<FetchmailState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> schedule(state.lastPoll() == 0 ? clock.millis()
                        : state.lastPoll() + policy.delayAfter(state.failures()).toMillis()))
                .onSignal(PostStop.instance(), state -> closeWatch())
                .build();
    }

    private void schedule(long at) {
        nextPoll = at;
        timers.startSingleTimer(POLL_TIMER, new Tick(), Duration.ofMillis(Math.max(0, at - clock.millis())));
    }

    @Override
    public CommandHandler<Command, Event, FetchmailState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Wake.class, (s, c) -> Effect().none())
                .onCommand(Tick.class, (s, c) -> {
                    startPoll(s);
                    return Effect().none();
                })
                .onCommand(PollNow.class, (s, c) -> {
                    waiting.add(c.replyTo());
                    startPoll(s);
                    return Effect().none();
                })
                .onCommand(GetStatus.class, (s, c) -> Effect().none().thenReply(c.replyTo(), this::status))
                .onCommand(RecordFetched.class, (s, c) -> s.fetched().contains(c.id())
                        ? Effect().none().thenReply(c.replyTo(), st -> new Recorded(c.id()))
                        : Effect().persist(new Fetched(c.id())).thenReply(c.replyTo(), st -> new Recorded(c.id())))
                .onCommand(PollDone.class, this::onPollDone)
                .onCommand(RemoteNewMail.class, (s, c) -> {
                    if (c.watch() == watchNumber && watch != null && !stopWhenDone) {
                        if (polling) {
                            pollAgain = true; // the running poll may have listed the remote before this mail
                        } else {
                            startPoll(s);
                        }
                    }
                    return Effect().none();
                })
                .onCommand(WatchEnded.class, (s, c) -> {
                    if (c.watch() == watchNumber && watch != null) {
                        watch = null;
                        if (c.unsupported()) {
                            watchUnsupported = true;
                            LOG.info("fetchmail {}: the server does not offer IMAP IDLE; polled every {}s", name,
                                    policy.interval().toSeconds());
                        } else {
                            watchNotBefore = clock.millis() + policy.interval().toMillis();
                            LOG.warn("fetchmail {}: the IDLE connection ended ({}); polled on the timer, IDLE again"
                                    + " after the next good poll", name, c.error());
                        }
                    }
                    return Effect().none();
                })
                .onCommand(Stop.class, (s, c) -> {
                    closeWatch();
                    if (polling) {
                        // a rebalance mid-poll: the poll thread still needs this entity to record what it
                        // queued, or the next owner would fetch those messages again
                        stopWhenDone = true;
                        return Effect().none();
                    }
                    return Effect().stop();
                })
                .build();
    }

    private void startPoll(FetchmailState state) {
        if (polling) {
            return;
        }
        polling = true;
        Set<String> known = state.fetched();
        ActorRef<Command> self = ctx.getSelf();
        var scheduler = ctx.getSystem().scheduler();
        RemoteMailPoller.FetchedSink sink = id -> AskPattern.<Command, Recorded>ask(self,
                r -> new RecordFetched(id, r), RECORD_TIMEOUT, scheduler)
                .toCompletableFuture().get(RECORD_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        AtomicInteger count = new AtomicInteger(); // written by the poll thread, read after it ended
        RemoteMailPoller.FetchedSink counting = id -> {
            sink.fetched(id);
            count.incrementAndGet();
        };
        CompletableFuture<RemoteMailPoller.Result> run = CompletableFuture.supplyAsync(() -> {
            try {
                return poller.poll(name, known, counting);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, blocking);
        ctx.pipeToSelf(run, (result, error) -> error == null
                ? new PollDone(result.fetched(), result.remoteIds(), null)
                : new PollDone(count.get(), List.of(), message(error)));
    }

    private Effect<Event, FetchmailState> onPollDone(FetchmailState state, PollDone done) {
        polling = false;
        long now = clock.millis();
        Event e = done.error() == null ? new PollSucceeded(now, done.fetched(), done.remoteIds())
                : new PollFailed(now, done.fetched(), done.error());
        var persisted = Effect().persist(e).thenRun(s -> {
            Duration delay = policy.delayAfter(s.failures());
            if (done.error() != null) {
                LOG.warn("fetchmail {}: poll failed ({} in a row), next in {}s: {}", name, s.failures(),
                        delay.toSeconds(), done.error());
            } else if (done.fetched() > 0) {
                LOG.info("fetchmail {}: {} message(s) fetched", name, done.fetched());
            }
            schedule(now + delay.toMillis());
            if (done.error() == null && !stopWhenDone) {
                openWatch();
            }
            SourceStatus status = status(s);
            waiting.forEach(w -> w.tell(status));
            waiting.clear();
            if (pollAgain && !stopWhenDone) {
                pollAgain = false;
                startPoll(s);
            }
        });
        return stopWhenDone ? persisted.thenStop() : persisted;
    }

    /** Opens a watch on the remote unless one is open, the server has no IDLE or the last one failed lately. */
    private void openWatch() {
        if (watch != null || watchUnsupported || clock.millis() < watchNotBefore) {
            return;
        }
        int number = ++watchNumber;
        ActorRef<Command> self = ctx.getSelf();
        try {
            watch = poller.watch(name, new RemoteMailPoller.WatchListener() {
                @Override
                public void newMail() {
                    self.tell(new RemoteNewMail(number));
                }

                @Override
                public void ended(boolean unsupported, String error) {
                    self.tell(new WatchEnded(number, unsupported, error));
                }
            });
        } catch (RuntimeException e) {
            watchNotBefore = clock.millis() + policy.interval().toMillis();
            LOG.warn("fetchmail {}: cannot start watching the remote: {}", name, message(e));
        }
    }

    private void closeWatch() {
        RemoteMailPoller.Watch w = watch;
        watch = null;
        watchNumber++; // whatever the closed watch still reports is ignored
        if (w != null) {
            w.close();
        }
    }

    private SourceStatus status(FetchmailState s) {
        return new SourceStatus(name, polling, s.lastPoll(), s.lastSuccess(), nextPoll, s.fetchedTotal(),
                s.lastFetched(), s.lastError(), s.failures(), s.fetched().size(), watch != null);
    }

    private static String message(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        String m = c.getMessage();
        return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
    }

    @Override
    public EventHandler<FetchmailState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Fetched.class, FetchmailState::with)
                .onEvent(PollSucceeded.class, FetchmailState::with)
                .onEvent(PollFailed.class, FetchmailState::with)
                .build();
    }
}
