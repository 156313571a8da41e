package io.mailfleet.server.api;

/** Supplies the current {@link NodeStatus}; must not block (read from cluster state and caches). */
@FunctionalInterface
public interface NodeStatusSource {

    NodeStatus status();
}
