package io.mailfleet.server.jmx;

import io.mailfleet.core.service.DirectoryService;
import io.mailfleet.core.service.SessionInfo;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The {@link NodeMXBean} of one node, registered as {@code io.mailfleet:type=Node,name=<host>_<port>}. */
public final class NodeMBeanImpl extends RegisteredBean implements NodeMXBean {

    private final ActorSystem<?> system;
    private final DirectoryService directory;
    private final Supplier<List<SessionInfo>> sessions;

    private NodeMBeanImpl(ActorSystem<?> system, DirectoryService directory, ObjectName name,
                          Supplier<List<SessionInfo>> sessions) {
        super(name);
        this.system = system;
        this.directory = directory;
        this.sessions = sessions;
    }

    /** Registers the bean with the platform MBean server (no session counts). */
    public static NodeMBeanImpl register(ActorSystem<?> system, DirectoryService directory) throws Exception {
        return register(system, directory, List::of);
    }

    /** Registers the bean; {@code sessions} supplies the sessions held on this node. */
    public static NodeMBeanImpl register(ActorSystem<?> system, DirectoryService directory,
                                         Supplier<List<SessionInfo>> sessions) throws Exception {
        return MBeans.register(system, "Node", name -> new NodeMBeanImpl(system, directory, name, sessions));
    }

    @Override
    public String[] getSessionsByProtocol() {
        Map<String, Long> counts = new TreeMap<>();
        for (SessionInfo s : sessions.get()) {
            counts.merge(s.protocol(), 1L, Long::sum);
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toArray(String[]::new);
    }

    @Override
    public String getSelfAddress() {
        return Cluster.get(system).selfMember().address().toString();
    }

    @Override
    public String getMemberStatus() {
        return Cluster.get(system).selfMember().status().toString();
    }

    @Override
    public String[] getMembers() {
        List<String> out = new ArrayList<>();
        for (Member m : Cluster.get(system).state().getMembers()) {
            out.add(m.address() + " " + m.status() + " " + String.join(",", m.getRoles()));
        }
        return out.toArray(String[]::new);
    }

    @Override
    public String getLeader() {
        var leader = Cluster.get(system).state().getLeader();
        return leader == null ? "" : leader.toString();
    }

    @Override
    public int getUnreachableCount() {
        return Cluster.get(system).state().getUnreachable().size();
    }

    @Override
    public int getAccountCount() {
        return directory.view().accountCount();
    }

    @Override
    public int getAliasCount() {
        return directory.view().aliasCount();
    }

    @Override
    public int getDomainCount() {
        return directory.view().localDomains().size();
    }
}
