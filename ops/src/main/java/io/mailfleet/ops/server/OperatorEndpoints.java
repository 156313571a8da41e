package io.mailfleet.ops.server;

import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.ops.config.LoadedConfig;
import io.mailfleet.ops.jmx.NodeMBeanImpl;
import org.apache.pekko.actor.typed.ActorSystem;

import java.util.ArrayList;
import java.util.List;

/** Starts what operators talk to: the management HTTP API, JMX beans and the DMS config watcher. */
final class OperatorEndpoints {

    private OperatorEndpoints() {
    }

    /** Returns what must be closed on shutdown, in start order. */
    static List<AutoCloseable> start(ActorSystem<?> system, LoadedConfig loaded, ClusterNode node) throws Exception {
        List<AutoCloseable> out = new ArrayList<>();
        out.add(NodeMBeanImpl.register(system, node.directory()));
        return out;
    }
}
