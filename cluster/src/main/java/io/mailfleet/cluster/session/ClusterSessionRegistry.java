package io.mailfleet.cluster.session;

import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.core.service.SessionRegistry;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link SessionRegistry} on the sharded {@link SessionsEntity}: every node registers its sessions
 * with the account's entity through a {@link SessionHolder} it spawns per session, so the limit,
 * the listing and kicks span the cluster.
 *
 * <p>When the entity does not answer in time (shard hand-over after a node loss) the session is
 * admitted without the limit check: its holder keeps refreshing, so it is counted as soon as the
 * entity runs again. Refusing logins while the cluster heals would be worse than a short window
 * without the limit.
 */
public final class ClusterSessionRegistry implements SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSessionRegistry.class);
    private static final Comparator<SessionInfo> ORDER =
            Comparator.comparing(SessionInfo::account).thenComparing(SessionInfo::since).thenComparing(SessionInfo::id);

    private final ActorSystem<?> system;
    private final ClusterSharding sharding;
    private final Duration refresh;
    private final Duration askTimeout;
    private final String node;
    private final Map<String, SessionInfo> local = new ConcurrentHashMap<>();

    private ClusterSessionRegistry(ActorSystem<?> system, ClusterSharding sharding, Duration refresh,
                                   Duration askTimeout) {
        this.system = system;
        this.sharding = sharding;
        this.refresh = refresh;
        this.askTimeout = askTimeout;
        this.node = Cluster.get(system).selfMember().address().hostPort();
    }

    /**
     * Registers the entity type and this node's listing actor (every node must call it once).
     *
     * @param refresh    how often each session refreshes its entry (entries expire after three periods)
     * @param askTimeout how long a login waits for the entity before it is admitted unchecked
     */
    public static ClusterSessionRegistry start(ActorSystem<?> system, Duration refresh, Duration askTimeout) {
        if (refresh.toMillis() < 100) {
            throw new IllegalArgumentException("session refresh interval must be at least 100 ms, got " + refresh);
        }
        if (askTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("session ask timeout must be at least 100 ms, got " + askTimeout);
        }
        ClusterSharding sharding = ClusterSharding.get(system);
        sharding.init(Entity.of(SessionsEntity.TYPE_KEY, ctx -> SessionsEntity.create(refresh)));
        ClusterSessionRegistry registry = new ClusterSessionRegistry(system, sharding, refresh, askTimeout);
        system.systemActorOf(io.mailfleet.cluster.node.NodeActors.restarting(NodeSessions.create(registry.local::values)),
                "node-sessions", Props.empty());
        return registry;
    }

    /** For tests: the defaults of {@code mailfleet.sessions} (refresh every 10 s, wait 5 s for the entity). */
    public static ClusterSessionRegistry start(ActorSystem<?> system) {
        return start(system, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    /** The sessions whose connection this node holds, by account then age. */
    public List<SessionInfo> localSessions() {
        List<SessionInfo> list = new ArrayList<>(local.values());
        list.sort(ORDER);
        return list;
    }

    /** This node's name in {@link SessionInfo#node()}. */
    public String node() {
        return node;
    }

    private EntityRef<SessionsEntity.Command> entity(String account) {
        return sharding.entityRefFor(SessionsEntity.TYPE_KEY, account);
    }

    @Override
    public CompletionStage<Optional<SessionLease>> open(String account, String protocol, String remoteIp, int maxPerIp,
                                                        Runnable kick) {
        String key = account.toLowerCase(Locale.ROOT);
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        SessionInfo info = new SessionInfo(id, key, protocol, node, remoteIp, Instant.now());
        EntityRef<SessionsEntity.Command> entity = entity(key);
        ActorRef<SessionHolder.Msg> holder = system.systemActorOf(SessionHolder.create(entity, info, refresh, kick),
                "session-" + id, Props.empty());
        return entity.<SessionsEntity.Admission>ask(r -> new SessionsEntity.Register(info, holder, maxPerIp, r),
                askTimeout).handle((admission, err) -> {
                    if (err != null) {
                        LOG.warn("sessions of {} did not answer within {} ({}): {} session from {} admitted unchecked",
                                key, askTimeout, err.toString(), protocol, remoteIp);
                    } else if (!admission.admitted()) {
                        holder.tell(new SessionHolder.Stop());
                        LOG.info("{} session of {} from {} refused: {} already open (limit {})", protocol, key, remoteIp,
                                admission.sameProtocolAndIp(), maxPerIp);
                        return Optional.empty();
                    }
                    local.put(id, info);
                    return Optional.of(lease(id, entity, holder));
                });
    }

    private SessionLease lease(String id, EntityRef<SessionsEntity.Command> entity,
                               ActorRef<SessionHolder.Msg> holder) {
        AtomicBoolean closed = new AtomicBoolean();
        return new SessionLease() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    local.remove(id);
                    // Straight to the entity, one hop shorter than through the holder, so that a client
                    // reconnecting at once at its limit is rarely refused by a not yet processed close.
                    entity.tell(new SessionsEntity.Unregister(id));
                    holder.tell(new SessionHolder.Stop());
                }
            }
        };
    }

    @Override
    public CompletionStage<List<SessionInfo>> list(String account) {
        return entity(account.toLowerCase(Locale.ROOT))
                .<SessionsEntity.Listing>ask(SessionsEntity.ListSessions::new, askTimeout)
                .thenApply(SessionsEntity.Listing::sessions);
    }

    @Override
    public CompletionStage<List<SessionInfo>> listAll() {
        CompletionStage<Receptionist.Listing> found = AskPattern.ask(system.receptionist(),
                r -> Receptionist.find(NodeSessions.KEY, r), askTimeout, system.scheduler());
        return found.thenCompose(listing -> {
            List<CompletableFuture<List<SessionInfo>>> parts = new ArrayList<>();
            Set<Address> reachable = reachableMembers();
            for (ActorRef<NodeSessions.Command> n : listing.getServiceInstances(NodeSessions.KEY)) {
                if (!n.path().address().hasLocalScope() && !reachable.contains(n.path().address())) {
                    continue; // a node on its way out: the receptionist may still list it for a while
                }
                parts.add(AskPattern.<NodeSessions.Command, NodeSessions.LocalListing>ask(n, NodeSessions.ListLocal::new,
                                askTimeout, system.scheduler())
                        .thenApply(NodeSessions.LocalListing::sessions)
                        .exceptionally(err -> {
                            LOG.warn("node {} did not list its sessions: {}", n.path().address(), err.toString());
                            return List.of();
                        }).toCompletableFuture());
            }
            return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<SessionInfo> all = new ArrayList<>();
                parts.forEach(p -> all.addAll(p.join()));
                all.sort(ORDER);
                return List.copyOf(all);
            });
        });
    }

    /** Members that can answer: up (or joining, leaving) and not unreachable from here. */
    private Set<Address> reachableMembers() {
        var state = Cluster.get(system).state();
        Set<Address> unreachable = new HashSet<>();
        state.getUnreachable().forEach(m -> unreachable.add(m.address()));
        Set<Address> out = new HashSet<>();
        for (Member m : state.getMembers()) {
            MemberStatus st = m.status();
            if (!unreachable.contains(m.address()) && st != MemberStatus.down() && st != MemberStatus.removed()
                    && st != MemberStatus.exiting()) {
                out.add(m.address());
            }
        }
        return out;
    }

    @Override
    public CompletionStage<Integer> kick(String account, Optional<String> sessionId) {
        return entity(account.toLowerCase(Locale.ROOT))
                .<SessionsEntity.Kicked>ask(r -> new SessionsEntity.Kick(sessionId.orElse(""), r), askTimeout)
                .thenApply(SessionsEntity.Kicked::count);
    }
}
