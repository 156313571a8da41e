package io.mailfleet.server.dms;

import io.mailfleet.cluster.directory.DirectoryRules;
import io.mailfleet.cluster.directory.DirectoryState;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.service.DirectoryService;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The directory in docker-mailserver mode: reads come from the live cache, writes go to the config
 * files (the source of truth there) and are then synchronised into the entities at once.
 */
public final class DmsDirectoryService implements DirectoryService {

    private final DirectoryService live;
    private final DmsConfigSync sync;
    private final DmsFileEditor editor;

    public DmsDirectoryService(DirectoryService live, DmsConfigSync sync, java.nio.file.Path dir) {
        this.live = live;
        this.sync = sync;
        this.editor = new DmsFileEditor(dir);
    }

    @Override
    public DirectoryView view() {
        return live.view();
    }

    @Override
    public CompletionStage<Void> apply(DirectoryChange change) {
        java.util.List<io.mailfleet.core.directory.RegexAlias> before = live.view().regexAliases();
        try {
            // Same invariants as the entity, checked before touching the files.
            DomainDirectory d = live.view().domains().getOrDefault(change.domain(), DomainDirectory.empty(change.domain()));
            DirectoryRules.check(new DirectoryState(d, before, 0), change);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return sync.editThenSync(() -> editor.write(change, before)).thenApply(n -> null);
    }
}
