package io.mailfleet.cluster.node;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;

/**
 * Supervision for a node's long-lived background actors (cache subscribers, the queue keeper, the
 * node's session list): a typed actor that throws is stopped by default, which would leave a cache
 * stale or the queue unwoken for the rest of the node's life without a word. These restart
 * instead, with a backoff so a persistent failure does not spin, and Pekko logs each failure.
 * Fatal JVM errors still follow {@code pekko.jvm-exit-on-fatal-error}.
 */
public final class NodeActors {

    private NodeActors() {
    }

    /** {@code behavior} restarted after any exception, 1 s to 30 s apart. */
    public static <T> Behavior<T> restarting(Behavior<T> behavior) {
        return Behaviors.supervise(behavior).onFailure(Exception.class,
                SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }
}
