package io.mailfleet.server.importer;

import io.mailfleet.cluster.imports.ClusterImportProgress;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.node.ClusterNode;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.server.api.ImportRoutes;
import io.mailfleet.server.config.Settings;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

import java.util.concurrent.Executor;

/** Builds the import and export API of a node from its settings: IMAP APPEND's limits, the blocking dispatcher. */
public final class ImportWiring {

    private ImportWiring() {
    }

    public static ImportRoutes routes(ActorSystem<?> system, Settings s, ClusterNode node, BlobStore blobs) {
        Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
        // the same size limit and delimiter as the IMAP listeners (MailListeners starts them from these defaults)
        ImapSettings imap = ImapSettings.defaults(0, false, s.hostname());
        AccountImports.Limits limits = new AccountImports.Limits(imap.appendLimit(),
                new HeaderLimits(s.limits().headerSize(), s.limits().headerLineLength()),
                s.quotas().enabled(), s.quotas().defaultLimit(), imap.delimiter());
        ClusterMailboxService mailboxes = new ClusterMailboxService(system, blobs, blocking);
        AccountImports imports = new AccountImports(mailboxes, blobs,
                node.directory(), limits, s.dataDir().resolve("tmp").resolve("import"), node.sieveScripts(),
                io.mailfleet.core.sieve.SieveLimits.defaults(),
                ClusterImportProgress.start(system, java.time.Duration.ofSeconds(10)));
        return new ImportRoutes(imports, new io.mailfleet.server.exporter.AccountExports(mailboxes, blobs,
                node.directory(), imap.delimiter()), blocking);
    }
}
