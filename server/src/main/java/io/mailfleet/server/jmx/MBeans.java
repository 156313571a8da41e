package io.mailfleet.server.jmx;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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

    /** Makes the bean of {@code type} under this node's name ({@link #nameFor}) and registers it. */
    static <B> B register(ActorSystem<?> system, String type, Function<ObjectName, B> make) throws Exception {
        ObjectName name = nameFor(system, type);
        B bean = make.apply(name);
        register(bean, name);
        return bean;
    }

    /** Registers {@code bean}, replacing a stale one of the same name (a restart in the same JVM). */
    static void register(Object bean, ObjectName name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(bean, name);
    }

    /**
     * The value of {@code f}, waiting at most {@code seconds}; JMX clients only see standard exception
     * types, so a failure becomes IllegalStateException naming {@code what} is not answering and why.
     */
    static <T> T await(CompletableFuture<T> f, long seconds, String what) {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (Exception e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(what + " not answering: " + c.getClass().getSimpleName() + ": "
                    + c.getMessage());
        }
    }

    static void unregister(ObjectName name) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }
}
