package io.mailfleet.server.cluster.formation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which seed nodes a starting node hands Pekko, given the members of a cluster already running on its
 * database. Pekko's first seed forms a new cluster alone when no other seed answers within
 * {@code seed-node-timeout} (5 s): a busy or paused peer is enough to make it a second cluster writing
 * the same journal. So while a cluster runs, this node's own address is never among its seeds (a node
 * whose seeds do not name it never joins itself) and the running members are asked first.
 */
public final class SeedChoice {

    /** The seeds to join through, and what to tell the operator about the choice (null: nothing to say). */
    public record Choice(List<String> seeds, String note) {
        public Choice {
            seeds = List.copyOf(seeds);
        }
    }

    private SeedChoice() {
    }

    /**
     * @param configured the configured seed addresses ({@code pekko://mailfleet@host:port}); empty forms a one-node cluster
     * @param self       this node's own address in the same form
     * @param live       the addresses of members of a running cluster (may include this node's previous incarnation)
     * @throws IllegalStateException when a cluster runs and this node, having no seeds, would form a second one
     */
    public static Choice choose(List<String> configured, String self, List<String> live) {
        Set<String> others = new LinkedHashSet<>(live);
        others.remove(self);
        if (others.isEmpty()) {
            return new Choice(configured, null);
        }
        if (configured.isEmpty()) {
            throw new IllegalStateException("a cluster is already running on this database (members " + others
                    + ") and this node has no seed nodes: it would form a second cluster writing the same journal. "
                    + "Set MAILFLEET_SEED_NODES (mailfleet.cluster.seed-nodes) to join it, or point "
                    + "MAILFLEET_POSTGRES_URL at a database of its own");
        }
        List<String> seeds = new ArrayList<>(others);
        configured.stream().filter(s -> !s.equals(self) && !others.contains(s)).forEach(seeds::add);
        return new Choice(seeds, "members " + others + " of a running cluster hold the member lock in PostgreSQL: "
                + "joining through " + seeds + "; this node does not form a cluster of its own while they run");
    }
}
