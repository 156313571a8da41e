package io.mailfleet.cluster.session;

import io.mailfleet.core.service.SessionInfo;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * One per node, found through the receptionist: answers with the sessions held on its node, so an
 * operator's "list every session" reaches all nodes without knowing which accounts are connected.
 */
public final class NodeSessions {

    /** Receptionist key of the per-node actors. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "mailfleet-node-sessions");

    private NodeSessions() {
    }

    /** Messages of the per-node actor. */
    public sealed interface Command permits ListLocal {
    }

    /** List the sessions of this node. */
    public record ListLocal(ActorRef<LocalListing> replyTo) implements Command {
    }

    /** Answer to {@link ListLocal}. */
    public record LocalListing(List<SessionInfo> sessions) {
    }

    static Behavior<Command> create(Supplier<Collection<SessionInfo>> local) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return Behaviors.receive(Command.class)
                    .onMessage(ListLocal.class, l -> {
                        l.replyTo().tell(new LocalListing(List.copyOf(local.get())));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
