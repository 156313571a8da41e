package io.mailfleet.cluster.ban;

import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
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

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The owner of one address bucket's ban decisions (docs/architecture.md, "Entities"): counts failures per address and
 * jail, bans at the threshold, takes manual bans and unbans, persists every decision, and publishes
 * the bucket's active bans to the replicated map every node checks at accept.
 */
public final class BanListEntity extends EventSourcedBehavior<BanListEntity.Command, BanListEntity.Event, BanListState> {

    /** Sharding type of the ban lists; the entity id is the bucket ({@code 192.0.2.0/24}, {@code 2001:db8::/64}). */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "BanList");

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.fail2ban");
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(2);

    /** Messages the entity accepts. */
    public sealed interface Command permits ReportFailure, CountFailure, ManualBan, Unban, Wake, Published {
    }

    /** A failure of a single address (canonical text) in a jail. No reply (sent by older nodes). */
    public record ReportFailure(String ip, Jail jail, String reason) implements Command {
    }

    /**
     * A failure of a single address (canonical text) in a jail, answered once it is recorded and,
     * when it caused a ban, the ban was written to every reachable replica.
     */
    public record CountFailure(String ip, Jail jail, String reason, ActorRef<FailureCounted> replyTo) implements Command {
    }

    /** Reply to {@link CountFailure}: the address's failures in the current window, and whether it is banned now. */
    public record FailureCounted(int failures, boolean banned) {
    }

    /** Ban {@code network} (canonical text) in the custom jail. */
    public record ManualBan(String network, ActorRef<BanReply> replyTo) implements Command {
    }

    /** Remove every ban of exactly {@code network}. */
    public record Unban(String network, ActorRef<UnbanReply> replyTo) implements Command {
    }

    /** Starts the entity (recovery then publication) without changing anything. */
    public record Wake() implements Command {
    }

    /** Internal: the replicated map took (or timed out taking) a publication; then the reply goes out. */
    record Published(Runnable reply) implements Command {
    }

    /** Reply to {@link ManualBan}: the ban, or {@code alreadyBanned}; {@code published} is the bucket's new value. */
    public record BanReply(Ban ban, boolean alreadyBanned, BucketBans published) {
    }

    /** Reply to {@link Unban}: the jails the network was removed from (empty: it was not banned). */
    public record UnbanReply(List<Jail> jails, BucketBans published) {
    }

    /** Persisted decisions. */
    public sealed interface Event permits FailureRecorded, Banned, Unbanned {
    }

    /** A failure below the threshold. */
    public record FailureRecorded(String ip, Jail jail, long at, String reason) implements Event {
    }

    /** A ban (automatic at the threshold, or manual in the custom jail). */
    public record Banned(Ban ban) implements Event {
    }

    /** Every ban of {@code network} lifted. */
    public record Unbanned(String network, long at) implements Event {
    }

    private final String bucket;
    private final BanPolicy policy;
    private final ActorContext<Command> context;
    private final ReplicatorMessageAdapter<Command, LWWMap<String, BucketBans>> replicator;
    private final SelfUniqueAddress self;

    private BanListEntity(ActorContext<Command> context, String bucket, BanPolicy policy,
                          ReplicatorMessageAdapter<Command, LWWMap<String, BucketBans>> replicator) {
        super(PersistenceId.of(TYPE_KEY.name(), bucket));
        this.context = context;
        this.bucket = bucket;
        this.policy = policy;
        this.replicator = replicator;
        this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    }

    public static Behavior<Command> create(String bucket, BanPolicy policy) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, BucketBans>> r) -> new BanListEntity(ctx, bucket, policy, r)));
    }

    @Override
    public BanListState emptyState() {
        return BanListState.empty();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public CommandHandler<Command, Event, BanListState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(ReportFailure.class, (s, f) -> onFailure(s, f.ip(), f.jail(), f.reason(), r -> { }))
                .onCommand(CountFailure.class, (s, f) -> onFailure(s, f.ip(), f.jail(), f.reason(), f.replyTo()::tell))
                .onCommand(ManualBan.class, this::onManualBan)
                .onCommand(Unban.class, this::onUnban)
                .onCommand(Wake.class, (s, c) -> Effect().none())
                .onCommand(Published.class, (s, p) -> {
                    p.reply().run();
                    return Effect().none();
                })
                .build();
    }

    /**
     * Counts a failure, also from an address that is banned already (a guess that was under way when
     * the ban came, or reached a node whose copy lagged): {@code maxRetry} of them within the find time
     * renew the ban from now, so an attacker who keeps trying stays banned.
     */
    private Effect<Event, BanListState> onFailure(BanListState state, String ip, Jail jail, String reason,
                                                  java.util.function.Consumer<FailureCounted> reply) {
        Instant now = Instant.now();
        InetAddress address = IpNetwork.parse(ip).address();
        if (policy.isIgnored(address)) {
            return Effect().none().thenRun(s -> reply.accept(new FailureCounted(0, false)));
        }
        boolean bannedBefore = state.covers(address, now);
        long at = now.toEpochMilli();
        long find = policy.findTime().toMillis();
        if (state.window(ip, jail).record(at, find, policy.maxRetry()).reached(at, find, policy.maxRetry())) {
            Ban ban = new Ban(ip, jail, now, now.plus(policy.banTime()), reason);
            return Effect().persist(new Banned(ban)).thenRun(s -> {
                LOG.warn("[{}] {} {} after {} failures within {} until {} ({})", jail.jailName(),
                        bannedBefore ? "Ban renewed for" : "Ban", ip, policy.maxRetry(), policy.findTime(), ban.until(),
                        reason);
                publish(s, () -> reply.accept(new FailureCounted(policy.maxRetry(), true)));
            });
        }
        return Effect().persist(new FailureRecorded(ip, jail, at, reason)).thenRun(s -> {
            int count = s.window(ip, jail).countAt(at, find);
            LOG.info("[{}] Found {} ({}){}: {} of {}", jail.jailName(), ip, reason,
                    bannedBefore ? " while banned" : "", count, policy.maxRetry());
            reply.accept(new FailureCounted(count, bannedBefore));
        });
    }

    private Effect<Event, BanListState> onManualBan(BanListState state, ManualBan m) {
        Instant now = Instant.now();
        if (state.activeBan(m.network(), Jail.CUSTOM, now) != null) {
            return Effect().none().thenReply(m.replyTo(), s -> new BanReply(null, true, published(s)));
        }
        Ban ban = new Ban(m.network(), Jail.CUSTOM, now, now.plus(policy.manualBanTime()), "manual");
        return Effect().persist(new Banned(ban)).thenRun(s -> {
            LOG.warn("[custom] Ban {} (manual) until {}", m.network(), ban.until());
            BucketBans value = published(s);
            publish(s, () -> m.replyTo().tell(new BanReply(ban, false, value)));
        });
    }

    private Effect<Event, BanListState> onUnban(BanListState state, Unban u) {
        Instant now = Instant.now();
        List<Jail> jails = state.activeBans(now).stream().filter(b -> b.network().equals(u.network()))
                .map(Ban::jail).toList();
        if (jails.isEmpty()) {
            return Effect().none().thenReply(u.replyTo(), s -> new UnbanReply(List.of(), published(s)));
        }
        return Effect().persist(new Unbanned(u.network(), now.toEpochMilli())).thenRun(s -> {
            LOG.warn("Unban {} from {}", u.network(), jails.stream().map(Jail::jailName).toList());
            BucketBans value = published(s);
            publish(s, () -> u.replyTo().tell(new UnbanReply(jails, value)));
        });
    }

    private BucketBans published(BanListState s) {
        return new BucketBans(bucket, lastSequenceNumber(context), s.activeBans(Instant.now()));
    }

    /**
     * Writes the bucket's active bans to all reachable replicas, then runs {@code reply}. The clock is
     * the sequence number, so a later owner after fail-over never publishes an older value as newer.
     * Bans that merely expire are not republished: every reader compares expiry with its clock.
     */
    private void publish(BanListState s, Runnable reply) {
        BucketBans value = published(s);
        LWWRegister.Clock<BucketBans> clock = (current, v) -> value.version();
        replicator.askUpdate(
                ask -> new Replicator.Update<>(BanCache.KEY, LWWMap.empty(),
                        new Replicator.WriteAll(PUBLISH_TIMEOUT), ask,
                        map -> map.put(self, bucket, value, clock)),
                rsp -> new Published(reply));
    }

    @Override
    public SignalHandler<BanListState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), s -> {
                    // A bucket that never decided anything has nothing to publish (scanners touch many).
                    if (lastSequenceNumber(context) > 0) {
                        publish(s, () -> { });
                    }
                })
                .build();
    }

    @Override
    public EventHandler<BanListState, Event> eventHandler() {
        long find = policy.findTime().toMillis();
        return newEventHandlerBuilder().forAnyState()
                .onEvent(FailureRecorded.class, (s, e) -> s.withFailure(e.ip(), e.jail(), e.at(), find, policy.maxRetry()))
                .onEvent(Banned.class, (s, e) -> s.withBan(e.ban(), find))
                .onEvent(Unbanned.class, (s, e) -> s.without(e.network(), e.at(), find))
                .build();
    }
}
