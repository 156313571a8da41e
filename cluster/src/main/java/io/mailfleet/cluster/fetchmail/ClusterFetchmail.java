package io.mailfleet.cluster.fetchmail;

import io.mailfleet.core.service.GuardedTick;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The fetchmail sources of the cluster, one sharded {@link FetchmailEntity} each. Every node keeps
 * its configured sources' entities started (a {@code Wake} each minute, so an entity moved by a
 * rebalance or a node failure starts again on its new node and resumes its timer there); sharding
 * makes sure only one node polls a source at a time. The wake-up also keeps an entity from being
 * passivated as idle (its own timer's ticks do not count as activity).
 */
public final class ClusterFetchmail implements AutoCloseable {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WAKE_EVERY = Duration.ofMinutes(1);

    private final ClusterSharding sharding;
    private final List<String> sources;
    private final AtomicReference<Cancellable> waker = new AtomicReference<>();
    private volatile boolean closed;

    private ClusterFetchmail(ClusterSharding sharding, List<String> sources) {
        this.sharding = sharding;
        this.sources = List.copyOf(sources);
    }

    /**
     * Registers the entity type on this node and, once {@code ready} has completed (the directory the
     * local addresses are checked against is loaded), keeps {@code sources} awake. Every node must use
     * the same policy.
     */
    public static ClusterFetchmail start(ActorSystem<?> system, RemoteMailPoller poller, FetchmailPolicy policy,
                                         List<String> sources, CompletionStage<?> ready) {
        return start(system, poller, source -> policy, sources, ready);
    }

    /**
     * As {@link #start(ActorSystem, RemoteMailPoller, FetchmailPolicy, List, CompletionStage)}, with each
     * source's policy chosen by its name (getmail's sources poll at their own interval).
     */
    public static ClusterFetchmail start(ActorSystem<?> system, RemoteMailPoller poller,
                                         Function<String, FetchmailPolicy> policies, List<String> sources,
                                         CompletionStage<?> ready) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(FetchmailEntity.TYPE_KEY, ctx -> FetchmailEntity.create(ctx.getEntityId(), poller,
                        policies.apply(ctx.getEntityId()), Clock.systemUTC()))
                .withStopMessage(new FetchmailEntity.Stop()));
        GuardedTick wake = new GuardedTick("fetchmail-wake", () -> sources.forEach(s ->
                sharding.entityRefFor(FetchmailEntity.TYPE_KEY, s).tell(new FetchmailEntity.Wake())));
        ClusterFetchmail fetchmail = new ClusterFetchmail(sharding, sources);
        ready.whenComplete((ignored, error) -> {
            synchronized (fetchmail) {
                if (!fetchmail.closed) {
                    fetchmail.waker.set(system.scheduler().scheduleWithFixedDelay(Duration.ZERO, WAKE_EVERY, wake,
                            system.executionContext()));
                }
            }
        });
        return fetchmail;
    }

    /** The configured source names, in file order. */
    public List<String> sources() {
        return sources;
    }

    /** The status of one source. */
    public CompletionStage<FetchmailEntity.SourceStatus> status(String source) {
        return sharding.entityRefFor(FetchmailEntity.TYPE_KEY, source).ask(FetchmailEntity.GetStatus::new, ASK_TIMEOUT);
    }

    /** The status of every source, in file order. */
    public CompletionStage<List<FetchmailEntity.SourceStatus>> statuses() {
        List<CompletableFuture<FetchmailEntity.SourceStatus>> all = new ArrayList<>();
        for (String s : sources) {
            all.add(status(s).toCompletableFuture());
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    /** Polls one source now and completes when that poll has ended (or {@code timeout} passed). */
    public CompletionStage<FetchmailEntity.SourceStatus> pollNow(String source, Duration timeout) {
        return sharding.entityRefFor(FetchmailEntity.TYPE_KEY, source).ask(FetchmailEntity.PollNow::new, timeout);
    }

    @Override
    public synchronized void close() {
        closed = true;
        Cancellable c = waker.get();
        if (c != null) {
            c.cancel();
        }
    }
}
