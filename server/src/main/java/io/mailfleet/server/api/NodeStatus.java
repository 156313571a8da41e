package io.mailfleet.server.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A node's view of the cluster for the management API.
 *
 * @param selfAddress this node's cluster address, e.g. {@code pekko://mailfleet@10.0.0.1:7355}
 * @param members     every member this node knows, with its status ("Up", "Joining", ...)
 * @param leader      the leader's address, when there is one
 * @param problems    degraded states of this node (a failing background task, memory critically low)
 */
public record NodeStatus(String selfAddress,
                         List<Member> members,
                         Optional<String> leader,
                         Duration uptime,
                         DirectoryCounts directory,
                         List<String> problems) {

    public NodeStatus {
        members = List.copyOf(members);
        problems = List.copyOf(problems);
    }

    /** A status without degraded states. */
    public NodeStatus(String selfAddress, List<Member> members, Optional<String> leader, Duration uptime,
                      DirectoryCounts directory) {
        this(selfAddress, members, leader, uptime, directory, List.of());
    }

    /** This node's own membership status, "Removed" when it is not (or no longer) a member. */
    public String selfStatus() {
        return members.stream().filter(m -> m.address().equals(selfAddress)).map(Member::status).findFirst()
                .orElse("Removed");
    }

    /** One cluster member. */
    public record Member(String address, String status, Set<String> roles) {
        public Member {
            roles = Set.copyOf(roles);
        }
    }

    /** Directory sizes as seen by this node's read cache. */
    public record DirectoryCounts(int domains, int accounts, int aliases) {
    }
}
