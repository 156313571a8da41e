package io.mailfleet.cluster.session;

import io.mailfleet.core.service.SessionInfo;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Stands for one live session on the session's node: refreshes its entry in the account's
 * {@link SessionsEntity} periodically (which also repopulates the entity after it moved), runs the
 * protocol's kick callback here when an operator kicks the session, and unregisters it on stop.
 * The entity watches this actor, so the entry also ends when this node leaves or is downed.
 */
public final class SessionHolder {

    private static final Logger LOG = LoggerFactory.getLogger(SessionHolder.class);

    private SessionHolder() {
    }

    /** Messages of the holder. */
    public sealed interface Msg permits RefreshTick, Stop, KickSession {
    }

    record RefreshTick() implements Msg {
    }

    /** The session ended: unregister and stop. */
    record Stop() implements Msg {
    }

    /** Close the session (sent by the entity, possibly from another node). */
    public record KickSession() implements Msg {
    }

    static Behavior<Msg> create(EntityRef<SessionsEntity.Command> entity, SessionInfo info, Duration refresh,
                                Runnable kick) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(new RefreshTick(), refresh);
            return Behaviors.receive(Msg.class)
                    .onMessage(RefreshTick.class, t -> {
                        entity.tell(new SessionsEntity.Refresh(info, ctx.getSelf()));
                        return Behaviors.same();
                    })
                    .onMessage(KickSession.class, k -> {
                        LOG.info("kicking session {} of {} ({} from {})", info.id(), info.account(), info.protocol(),
                                info.remoteIp());
                        try {
                            kick.run();
                        } catch (RuntimeException e) {
                            LOG.warn("kicking session {} of {} failed: {}", info.id(), info.account(), e.toString());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Stop.class, s -> {
                        entity.tell(new SessionsEntity.Unregister(info.id()));
                        return Behaviors.stopped();
                    })
                    .build();
        }));
    }
}
