package io.mailfleet.server;

import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.server.api.NodeStatus;
import io.mailfleet.server.api.NodeStatusSource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link NodeStatusSource} read from Pekko's cluster state and the directory cache. */
final class ClusterStatusSource implements NodeStatusSource {

    private final ActorSystem<?> system;
    private final DirectoryService directory;
    private final Instant started = Instant.now();

    ClusterStatusSource(ActorSystem<?> system, DirectoryService directory) {
        this.system = system;
        this.directory = directory;
    }

    @Override
    public NodeStatus status() {
        Cluster cluster = Cluster.get(system);
        List<NodeStatus.Member> members = new ArrayList<>();
        for (Member m : cluster.state().getMembers()) {
            String status = cluster.state().getUnreachable().contains(m) ? m.status() + " (unreachable)" : m.status().toString();
            members.add(new NodeStatus.Member(m.address().toString(), status, m.getRoles()));
        }
        var leader = cluster.state().getLeader();
        DirectoryView v = directory.view();
        return new NodeStatus(cluster.selfMember().address().toString(), members,
                Optional.ofNullable(leader).map(Object::toString), Duration.between(started, Instant.now()),
                new NodeStatus.DirectoryCounts(v.localDomains().size(), v.accountCount(), v.aliasCount()),
                BackgroundHealth.get(system).problems());
    }
}
