package io.mailfleet.ops.jmx;

import io.mailfleet.core.service.DirectoryService;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;

import javax.management.ObjectName;
import java.util.ArrayList;
import java.util.List;

/** The {@link NodeMXBean} of one node, registered as {@code io.mailfleet:type=Node,name=<host>_<port>}. */
public final class NodeMBeanImpl implements NodeMXBean, AutoCloseable {

    private final ActorSystem<?> system;
    private final DirectoryService directory;
    private final ObjectName name;

    private NodeMBeanImpl(ActorSystem<?> system, DirectoryService directory, ObjectName name) {
        this.system = system;
        this.directory = directory;
        this.name = name;
    }

    /** Registers the bean with the platform MBean server. */
    public static NodeMBeanImpl register(ActorSystem<?> system, DirectoryService directory) throws Exception {
        ObjectName name = MBeans.nameFor(system, "Node");
        NodeMBeanImpl bean = new NodeMBeanImpl(system, directory, name);
        MBeans.register(bean, name);
        return bean;
    }

    public ObjectName objectName() {
        return name;
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

    @Override
    public void close() throws Exception {
        MBeans.unregister(name);
    }
}
