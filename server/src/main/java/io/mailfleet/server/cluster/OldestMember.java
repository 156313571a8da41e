package io.mailfleet.server.cluster;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;

import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Which node runs a cluster-wide periodic job: the oldest Up member (the node Pekko's cluster
 * singletons also live on), so a cluster runs such a job once per period rather than once per node.
 * Views can differ for a moment while members join or leave, so a job gated by it must stay
 * harmless when it does run twice.
 */
public final class OldestMember {

    private OldestMember() {
    }

    /** True when this node is the oldest Up member in its current view of the cluster. */
    public static boolean isSelf(ActorSystem<?> system) {
        Cluster cluster = Cluster.get(system);
        Optional<Member> oldest = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
                .filter(m -> m.status() == MemberStatus.up())
                .reduce((a, b) -> a.isOlderThan(b) ? a : b);
        return oldest.map(m -> m.equals(cluster.selfMember())).orElse(false);
    }
}
