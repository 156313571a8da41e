package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.cluster.mailbox.ClusterMailboxes;
import io.mailfleet.cluster.session.ClusterSessionRegistry;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IMAP listeners on two cluster nodes in one JVM sharing the session registry: logins on node A count
 * for node B's limit, and a kick sent through node B closes a connection held by node A.
 */
class ImapSessionLimitClusterTest {

    private static final String USER = "limit@example.com";

    @TempDir
    Path data;

    @Test
    void perUserIpLimitAndKickSpanTheNodes() throws Exception {
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        FileBlobStore blobs = BlobStores.filesystem(data);
        TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none());
        ImapServer imapA = null;
        ImapServer imapB = null;
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterMailboxes.start(a.system());
            ClusterMailboxes.start(b.system());
            ClusterDirectoryService dirA = ClusterDirectoryService.start(a.system());
            ClusterDirectoryService dirB = ClusterDirectoryService.start(b.system());
            ClusterSessionRegistry sessionsA = ClusterSessionRegistry.start(a.system());
            ClusterSessionRegistry sessionsB = ClusterSessionRegistry.start(b.system());
            dirA.apply(new DirectoryChange.AddAccount(USER, PasswordSchemes.hash("pw")))
                    .toCompletableFuture().get(20, TimeUnit.SECONDS);
            TestNodes.await(() -> dirB.view().account(USER).isPresent(), Duration.ofSeconds(20),
                    "account replicated to node B");

            ImapSettings settings = ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0)
                    .withMaxConnectionsPerUserIp(2).withAuthCacheTtl(Duration.ZERO);
            imapA = ImapServer.start(settings, new ImapServices(new DirectoryAuthenticator(dirA, executor),
                    new ClusterMailboxService(a.system(), blobs, executor), blobs, dirA, tls).withSessions(sessionsA));
            imapB = ImapServer.start(settings, new ImapServices(new DirectoryAuthenticator(dirB, executor),
                    new ClusterMailboxService(b.system(), blobs, executor), blobs, dirB, tls).withSessions(sessionsB));

            try (Wire onA = Wire.imap(imapA.port()); Wire alsoOnA = Wire.imap(imapA.port());
                 Wire onB = Wire.imap(imapB.port())) {
                assertTrue(Wire.last(onA.command("l", "LOGIN " + USER + " pw")).startsWith("l OK"));
                assertTrue(Wire.last(alsoOnA.command("l", "LOGIN " + USER + " pw")).startsWith("l OK"));
                assertEquals("l NO [LIMIT] Maximum number of connections from user+IP exceeded"
                        + " (mail_max_userip_connections=2)", Wire.last(onB.command("l", "LOGIN " + USER + " pw")));

                List<SessionInfo> listed = sessionsB.list(USER).toCompletableFuture().get(20, TimeUnit.SECONDS);
                assertEquals(Set.of(sessionsA.node()), listed.stream().map(SessionInfo::node).collect(Collectors.toSet()));
                assertEquals(2, listed.size(), listed.toString());

                // Kicked through node B, the session held by node A says goodbye and is closed there.
                assertEquals(1, sessionsB.kick(USER, Optional.of(listed.get(0).id()))
                        .toCompletableFuture().get(20, TimeUnit.SECONDS));
                Wire kicked = onA;
                Wire kept = alsoOnA;
                String goodbye = kicked.line();
                assertEquals("* BYE Disconnected by the administrator.", goodbye);
                assertThrows(IOException.class, kicked::line);
                assertTrue(Wire.last(kept.command("n", "NOOP")).startsWith("n OK"));

                // Its place is free again, now for a login on node B.
                TestNodes.await(() -> sessionsA.list(USER).toCompletableFuture().join().size() == 1,
                        Duration.ofSeconds(20), "kicked session unregistered");
                assertTrue(Wire.last(onB.command("m", "LOGIN " + USER + " pw")).startsWith("m OK"));
            }
        } finally {
            if (imapA != null) {
                imapA.close();
            }
            if (imapB != null) {
                imapB.close();
            }
            tls.close();
            ActorTestKit.shutdown(b.system(), Duration.ofSeconds(30));
            ActorTestKit.shutdown(a.system(), Duration.ofSeconds(30));
            blobs.close();
            executor.shutdownNow();
        }
    }
}
