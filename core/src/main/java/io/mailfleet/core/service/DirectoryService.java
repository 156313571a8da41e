package io.mailfleet.core.service;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The directory as the protocols and the management API see it. Implemented by the cluster module on
 * top of the sharded {@code Directory} entities and the replicated read cache.
 */
public interface DirectoryService {

    /** The node-local read cache: never blocks, at most about a second behind the entities. */
    DirectoryView view();

    /**
     * Applies a change through the owning entity. Completes when the change is persisted; completes
     * exceptionally with {@link io.mailfleet.core.directory.DirectoryException} when refused.
     */
    CompletionStage<Void> apply(DirectoryChange change);

    /**
     * Whether {@link #view()} holds everything the directory knows (after a restart the cache fills
     * up first); decisions that must not be made on a partial view wait for it.
     */
    default boolean ready() {
        return true;
    }

    /**
     * Makes {@link #view()} hold what the directory's source knows about {@code address} (a recipient,
     * or an envelope sender with the {@code login} that wants to use it, else null) before a decision is
     * made on it. Directories held whole in the cache complete at once; one backed by an external
     * source (LDAP) looks the address up, or finds it in its per-node cache, and completes
     * exceptionally with {@link io.mailfleet.core.directory.DirectoryUnavailableException} when the
     * source cannot answer. Never blocks the caller.
     */
    default CompletableFuture<Void> prefetch(String address, String login) {
        return CompletableFuture.completedFuture(null);
    }
}
