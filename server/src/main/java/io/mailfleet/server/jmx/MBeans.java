package io.mailfleet.server.jmx;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

/** Naming and (un)registration shared by the node's MBeans: one bean of each type per cluster node. */
final class MBeans {

    private MBeans() {
    }

    /** {@code io.mailfleet:type=<type>,name=<host>_<port>} of this node, unique among nodes in one JVM. */
    static ObjectName nameFor(ActorSystem<?> system, String type) throws Exception {
        var addr = Cluster.get(system).selfMember().address();
        return new ObjectName("io.mailfleet:type=" + type + ",name="
                + addr.host().getOrElse(() -> "local") + "_" + addr.port().getOrElse(() -> 0));
    }

    /** Registers {@code bean}, replacing a stale one of the same name (a restart in the same JVM). */
    static void register(Object bean, ObjectName name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(bean, name);
    }

    static void unregister(ObjectName name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
