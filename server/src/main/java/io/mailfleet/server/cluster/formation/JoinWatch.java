package io.mailfleet.server.cluster.formation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * While a node waits to join the running members it found in PostgreSQL (its own address left out of
 * its seeds): should every one of them stop before it got in, it joins through its configured seeds
 * instead, so a first seed forms the cluster again rather than waiting out {@code join-timeout} for
 * members that are gone. Looked at periodically on one thread until the node is a member or has
 * switched.
 */
final class JoinWatch {

    private static final Logger LOG = LoggerFactory.getLogger(JoinWatch.class);

    private final String self;
    private final List<String> configured;
    private final Callable<List<String>> live;
    private final BooleanSupplier joined;
    private final Consumer<List<String>> join;
    private boolean done;

    /**
     * @param self       this node's address
     * @param configured the seeds as configured (this node first when it is the first seed)
     * @param live       the addresses holding the member lock now (may fail: PostgreSQL unreachable)
     * @param joined     whether this node is a member already
     * @param join       joins through the given seeds (Pekko's {@code joinSeedNodes})
     */
    JoinWatch(String self, List<String> configured, Callable<List<String>> live, BooleanSupplier joined,
              Consumer<List<String>> join) {
        this.self = self;
        this.configured = List.copyOf(configured);
        this.live = live;
        this.joined = joined;
        this.join = join;
    }

    /** One look; true once there is nothing left to watch. */
    boolean tick() {
        if (done) {
            return true;
        }
        if (joined.getAsBoolean()) {
            done = true;
            return true;
        }
        List<String> others;
        try {
            others = live.call().stream().filter(a -> !a.equals(self)).toList();
        } catch (Exception e) {
            // without the database nobody can tell whether a cluster still runs: keep waiting for it
            LOG.debug("member check failed: {}", e.toString());
            return false;
        }
        if (others.isEmpty()) {
            LOG.info("the running members this node was waiting for have all stopped: joining through the "
                    + "configured seed nodes {}", configured);
            join.accept(configured);
            done = true;
        }
        return done;
    }
}
