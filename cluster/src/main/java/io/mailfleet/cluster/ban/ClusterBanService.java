package io.mailfleet.cluster.ban;

import io.mailfleet.cluster.node.NodeActors;
import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanException;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.BlockType;
import io.mailfleet.core.ban.FailureReport;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link BanService} on top of the sharded {@link BanListEntity} and this node's {@link BanCache}. */
public final class ClusterBanService implements BanService {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.fail2ban");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    /** Recording (a journal write) plus, for a ban, the entity's publication (WriteAll, 2 s). */
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LOCAL_READ_TIMEOUT = Duration.ofSeconds(2);

    private final ClusterSharding sharding;
    private final BanCache cache;
    private final BanPolicy policy;
    private final ActorRef<Replicator.Command> replicator;
    private final Scheduler scheduler;

    private ClusterBanService(ActorSystem<?> system, ClusterSharding sharding, BanCache cache, BanPolicy policy) {
        this.sharding = sharding;
        this.cache = cache;
        this.policy = policy;
        this.replicator = DistributedData.get(system).replicator();
        this.scheduler = system.scheduler();
    }

    /** Registers the entity type on this node and starts the cache feed. Every node must use the same policy. */
    public static ClusterBanService start(ActorSystem<?> system, BanPolicy policy) {
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(BanListEntity.TYPE_KEY, ctx -> BanListEntity.create(ctx.getEntityId(), policy)));
        BanCache cache = new BanCache();
        system.systemActorOf(NodeActors.restarting(cache.subscriber()), "ban-cache",
                Props.empty());
        return new ClusterBanService(system, sharding, cache, policy);
    }

    @Override
    public CompletionStage<FailureReport> reportFailure(String ip, String protocol, String reason) {
        IpNetwork address;
        Jail jail;
        try {
            address = IpNetwork.parse(ip);
            jail = Jail.forProtocol(protocol);
        } catch (IllegalArgumentException e) {
            LOG.warn("failure not counted: {}", e.getMessage());
            return CompletableFuture.completedFuture(FailureReport.NOT_COUNTED);
        }
        if (!address.isSingleAddress()) {
            LOG.warn("failure not counted: '{}' is a network, not a client address", ip);
            return CompletableFuture.completedFuture(FailureReport.NOT_COUNTED);
        }
        if (policy.isIgnored(address.address())) {
            return CompletableFuture.completedFuture(FailureReport.NOT_COUNTED);
        }
        // Counted even while banned (the entity renews a ban its address keeps earning).
        return sharding.entityRefFor(BanListEntity.TYPE_KEY, address.bucket())
                .<BanListEntity.FailureCounted>ask(reply -> new BanListEntity.CountFailure(address.toString(), jail,
                        reason == null ? "" : reason, reply), REPORT_TIMEOUT)
                .handle((r, err) -> {
                    if (err != null) {
                        LOG.warn("failure of {} not confirmed: {}", ip, err.toString());
                        return FailureReport.NOT_COUNTED;
                    }
                    return new FailureReport(r.failures(), r.banned());
                });
    }

    @Override
    public CompletionStage<Boolean> isBannedNow(InetAddress address) {
        if (policy.isIgnored(address)) {
            return CompletableFuture.completedFuture(false);
        }
        if (isBanned(address)) {
            return CompletableFuture.completedFuture(true);
        }
        // A ban written here a moment ago (WriteAll) may not have been notified to the cache yet: read
        // this node's replica itself. Failures ban the address in its own bucket, so that one is read.
        String bucket = IpNetwork.of(address).bucket();
        return AskPattern.<Replicator.Command, Replicator.GetResponse<LWWMap<String, BucketBans>>>ask(replicator,
                        reply -> new Replicator.Get<>(BanCache.KEY, Replicator.readLocal(), reply), LOCAL_READ_TIMEOUT,
                        scheduler)
                .handle((rsp, err) -> {
                    if (rsp instanceof Replicator.GetSuccess<LWWMap<String, BucketBans>> ok) {
                        scala.Option<BucketBans> value = ok.get(BanCache.KEY).get(bucket);
                        if (value.isDefined()) {
                            cache.merge(List.of(value.get()));
                        }
                    }
                    return isBanned(address);
                });
    }

    @Override
    public AutoCloseable onChange(Runnable listener) {
        return cache.onChange(listener);
    }

    @Override
    public boolean isBanned(InetAddress address) {
        return !policy.isIgnored(address) && cache.index().isBanned(address, System.currentTimeMillis());
    }

    @Override
    public BlockType blockType() {
        return policy.blockType();
    }

    @Override
    public CompletionStage<Ban> ban(String ipOrNetwork, boolean force) {
        IpNetwork n;
        try {
            n = parse(ipOrNetwork);
            policy.widest().check(n, force);
        } catch (BanException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (policy.isInsideIgnored(n)) {
            return CompletableFuture.failedFuture(new BanException("ignored",
                    "'" + n + "' is in the ignore list (127.0.0.0/8, ::1 and mailfleet.fail2ban.ignore-networks) and cannot be banned"));
        }
        return sharding.entityRefFor(BanListEntity.TYPE_KEY, n.bucket())
                .<BanListEntity.BanReply>ask(reply -> new BanListEntity.ManualBan(n.toString(), reply), ASK_TIMEOUT)
                .thenApply(r -> {
                    cache.merge(List.of(r.published()));
                    if (r.alreadyBanned()) {
                        throw new BanException("already-banned", "Banning '" + n + "' failed. Already banned?");
                    }
                    return r.ban();
                });
    }

    @Override
    public CompletionStage<List<Jail>> unban(String ipOrNetwork) {
        IpNetwork n;
        try {
            n = parse(ipOrNetwork);
        } catch (BanException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sharding.entityRefFor(BanListEntity.TYPE_KEY, n.bucket())
                .<BanListEntity.UnbanReply>ask(reply -> new BanListEntity.Unban(n.toString(), reply), ASK_TIMEOUT)
                .thenApply(r -> {
                    cache.merge(List.of(r.published()));
                    return r.jails();
                });
    }

    @Override
    public CompletionStage<List<Ban>> bans() {
        return CompletableFuture.completedFuture(cache.activeBans(Instant.now()));
    }

    @Override
    public BanPolicy policy() {
        return policy;
    }

    /** Buckets whose bans have reached this node's cache. */
    public Set<String> cachedBuckets() {
        return cache.knownBuckets();
    }

    /** Starts the entity of a bucket so it recovers and republishes its bans. */
    public void wake(String bucket) {
        sharding.entityRefFor(BanListEntity.TYPE_KEY, bucket).tell(new BanListEntity.Wake());
    }

    private static IpNetwork parse(String text) {
        try {
            return IpNetwork.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BanException("invalid-ip", e.getMessage());
        }
    }
}
