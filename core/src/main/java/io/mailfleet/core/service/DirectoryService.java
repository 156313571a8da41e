package io.mailfleet.core.service;

import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;

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
}
