package io.mailfleet.server.defence;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.directory.ClusterDirectoryService;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.queue.MailQueue;
import io.mailfleet.persistence.blob.BlobStores;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;
import io.mailfleet.protocols.smtp.BareNewlinePolicy;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpServer;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.SmtpSettings;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Cluster nodes in one JVM on a shared journal, each with a real SMTP listener behind the PROXY protocol
 * (so one machine plays clients from several networks); {@code 198.18.0.0/15} is a trusted network and
 * alice, bob and carol at example.com are accounts (password {@code secret-password}).
 */
final class SmtpClusterFixture implements AutoCloseable {

    static final String PASSWORD = "secret-password";
    private static final MailQueue QUEUE = (envelope, message) -> CompletableFuture.completedFuture("Q1");

    private final Path data;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final FileBlobStore blobs;
    private final TlsContextProvider tls;

    /** One node: its test kit, directory and listener. */
    record Node(ActorTestKit kit, ClusterDirectoryService dir, SmtpServer smtp) {
        int port() {
            return smtp.port();
        }
    }

    SmtpClusterFixture(Path data) throws Exception {
        this.data = data;
        this.blobs = BlobStores.filesystem(data);
        this.tls = TlsContextProvider.start(TlsSettings.none());
    }

    /** A node's test kit, joined to nothing yet; stopped by {@link #close()}. */
    ActorTestKit kit() {
        ActorTestKit kit = TestNodes.node(data);
        open.add(kit::shutdownTestKit);
        return kit;
    }

    /** {@code count} nodes in one cluster, each listening with the checks {@code checks} makes for its node. */
    List<Node> cluster(int count, SmtpMode mode, Function<ActorTestKit, SmtpChecks> checks) throws Exception {
        return cluster(count, mode, checks, kit -> Postscreen.DISABLED);
    }

    /** As above, each node's port-25 listener with the pregreet test {@code postscreen} makes for it. */
    List<Node> cluster(int count, SmtpMode mode, Function<ActorTestKit, SmtpChecks> checks,
                       Function<ActorTestKit, Postscreen> postscreen) throws Exception {
        List<ActorTestKit> kits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            kits.add(kit());
        }
        JournalSchema.ensure(kits.get(0).system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        for (ActorTestKit k : kits) {
            TestNodes.join(k.system(), kits.get(0).system());
        }
        for (ActorTestKit k : kits) {
            TestNodes.awaitUp(k.system(), count);
        }
        List<Node> nodes = new ArrayList<>();
        for (ActorTestKit k : kits) {
            nodes.add(node(k, mode, checks.apply(k), postscreen.apply(k)));
        }
        ClusterDirectoryService dir = nodes.get(0).dir();
        for (String user : List.of("alice@example.com", "bob@example.com", "carol@example.com")) {
            // The first ask can time out while the new cluster allocates its first shards: ask again.
            for (int attempt = 1; ; attempt++) {
                try {
                    dir.apply(new DirectoryChange.AddAccount(user, PasswordSchemes.hash(PASSWORD)))
                            .toCompletableFuture().get(20, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    if (dir.view().account(user).isPresent()) {
                        break;
                    }
                    if (attempt == 3) {
                        throw e;
                    }
                }
            }
        }
        for (Node n : nodes) {
            TestNodes.await(() -> n.dir().view().account("carol@example.com").isPresent(), Duration.ofSeconds(20),
                    "accounts replicated to every node");
        }
        return nodes;
    }

    private Node node(ActorTestKit kit, SmtpMode mode, SmtpChecks checks, Postscreen postscreen) {
        ClusterDirectoryService dir = ClusterDirectoryService.start(kit.system());
        SmtpSettings settings = new SmtpSettings("127.0.0.1", 0, mode, "mail.example.com",
                SmtpSettings.DEFAULT_MESSAGE_SIZE, 100, 20, Duration.ofSeconds(60), false, BareNewlinePolicy.REJECT,
                false, List.of(Cidr.parse("198.18.0.0/15")), "+", "postmaster@example.com", false, 0);
        SmtpServices services = new SmtpServices(dir, new DirectoryAuthenticator(dir, executor), blobs, QUEUE,
                account -> 0L, tls, AcceptGuard.of(null, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.0/8")))))
                .withChecks(checks);
        SmtpServer smtp = SmtpServer.start(settings, services, 0, LoginPolicy.DEFAULTS, postscreen);
        open.add(smtp);
        return new Node(kit, dir, smtp);
    }

    /** Stops every listener and node, the last started first. */
    void stopAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @Override
    public void close() throws Exception {
        stopAll();
        tls.close();
        executor.shutdownNow();
    }
}
