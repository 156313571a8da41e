package io.mailfleet.cluster.session;

import io.mailfleet.core.service.SessionInfo;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live sessions of one account across the cluster. Not persisted: a session is live state, held
 * by a {@link SessionHolder} actor on the session's node. An entry ends when its holder unregisters,
 * when the holder stops (watched, so also when its node leaves or is downed), or when the holder has
 * not refreshed it for three refresh periods (its node froze). If this entity restarts elsewhere its
 * entries are lost; every holder's next refresh brings its session back.
 */
public final class SessionsEntity extends AbstractBehavior<SessionsEntity.Command> {

    /** Sharding type; the entity id is the account address in lower case. */
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "Sessions");

    /** Messages the entity accepts. */
    public sealed interface Command permits Register, Refresh, Unregister, ListSessions, Kick, HolderGone, Expire {
    }

    /**
     * Admit a new session unless the account already holds {@code maxPerIp} sessions with the same
     * protocol from the same address (0 = no limit).
     */
    public record Register(SessionInfo info, ActorRef<SessionHolder.Msg> holder, int maxPerIp,
                           ActorRef<Admission> replyTo) implements Command {
    }

    /** Answer to {@link Register}: admitted, or refused with the number of sessions already counted. */
    public record Admission(boolean admitted, int sameProtocolAndIp) {
    }

    /** Keep an admitted session alive, or add it again after this entity moved (never refused). */
    public record Refresh(SessionInfo info, ActorRef<SessionHolder.Msg> holder) implements Command {
    }

    /** The session ended. */
    public record Unregister(String id) implements Command {
    }

    /** List the sessions, oldest first. */
    public record ListSessions(ActorRef<Listing> replyTo) implements Command {
    }

    /** Answer to {@link ListSessions}. */
    public record Listing(List<SessionInfo> sessions) {
    }

    /** Tell the session {@code id} to close, or every session of the account when {@code id} is empty. */
    public record Kick(String id, ActorRef<Kicked> replyTo) implements Command {
    }

    /** Answer to {@link Kick}: how many sessions were told to close. */
    public record Kicked(int count) {
    }

    record HolderGone(String id) implements Command {
    }

    record Expire() implements Command {
    }

    private record Entry(SessionInfo info, ActorRef<SessionHolder.Msg> holder, long refreshedNanos) {
    }

    private final Duration refresh;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private SessionsEntity(ActorContext<Command> ctx, Duration refresh) {
        super(ctx);
        this.refresh = refresh;
    }

    /** @param refresh how often holders refresh their session; entries expire after three periods without one */
    public static Behavior<Command> create(Duration refresh) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new Expire(), refresh);
            return new SessionsEntity(ctx, refresh);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Register.class, this::onRegister)
                .onMessage(Refresh.class, r -> {
                    put(r.info(), r.holder());
                    return this;
                })
                .onMessage(Unregister.class, u -> {
                    remove(u.id());
                    return this;
                })
                .onMessage(HolderGone.class, g -> {
                    Entry e = entries.remove(g.id());
                    if (e != null) {
                        // Debug only: a holder's Unregister travels through sharding and its death notice
                        // does not, so on an ordinary LOGOUT the notice often arrives first (one INFO line
                        // per session end was noise); sessions lost with a node show in the cluster log.
                        getContext().getLog().debug("session {} of {} ({} from {} on {}) ended with its holder",
                                e.info().id(), e.info().account(), e.info().protocol(), e.info().remoteIp(),
                                e.info().node());
                    }
                    return this;
                })
                .onMessage(ListSessions.class, l -> {
                    List<SessionInfo> list = new ArrayList<>();
                    entries.values().forEach(e -> list.add(e.info()));
                    list.sort(Comparator.comparing(SessionInfo::since).thenComparing(SessionInfo::id));
                    l.replyTo().tell(new Listing(List.copyOf(list)));
                    return this;
                })
                .onMessage(Kick.class, this::onKick)
                .onMessage(Expire.class, x -> {
                    expire();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onRegister(Register r) {
        int same = 0;
        for (Entry e : entries.values()) {
            if (!e.info().id().equals(r.info().id()) && e.info().protocol().equals(r.info().protocol())
                    && e.info().remoteIp().equals(r.info().remoteIp())) {
                same++;
            }
        }
        boolean admitted = r.maxPerIp() <= 0 || same < r.maxPerIp();
        if (admitted) {
            put(r.info(), r.holder());
        }
        r.replyTo().tell(new Admission(admitted, same));
        return this;
    }

    private Behavior<Command> onKick(Kick k) {
        int n = 0;
        for (Entry e : entries.values()) {
            if (k.id().isEmpty() || k.id().equals(e.info().id())) {
                e.holder().tell(new SessionHolder.KickSession());
                n++;
            }
        }
        k.replyTo().tell(new Kicked(n));
        return this;
    }

    private void put(SessionInfo info, ActorRef<SessionHolder.Msg> holder) {
        Entry old = entries.get(info.id());
        if (old == null || !old.holder().equals(holder)) {
            if (old != null) {
                getContext().unwatch(old.holder());
            }
            getContext().watchWith(holder, new HolderGone(info.id()));
        }
        entries.put(info.id(), new Entry(info, holder, System.nanoTime()));
    }

    private void remove(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            getContext().unwatch(e.holder());
        }
    }

    private void expire() {
        long limit = refresh.multipliedBy(3).toNanos();
        long now = System.nanoTime();
        List<String> stale = new ArrayList<>();
        entries.forEach((id, e) -> {
            if (now - e.refreshedNanos() > limit) {
                stale.add(id);
            }
        });
        for (String id : stale) {
            getContext().getLog().info("session {} expired (its holder stopped refreshing)", id);
            remove(id);
        }
    }
}
