package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real node with {@code user@example.com}/{@code secret} and IMAP listeners of the test's choosing
 * on loopback (plaintext LOGIN allowed there), closed together.
 */
final class ImapTestNode implements AutoCloseable {

    final MailfleetServer server;
    final ImapServices services;
    private final ExecutorService executor;
    private final TlsContextProvider tls;
    private final List<ImapServer> listeners = new ArrayList<>();

    private ImapTestNode(MailfleetServer server, ExecutorService executor, TlsContextProvider tls, ImapServices services) {
        this.server = server;
        this.executor = executor;
        this.tls = tls;
        this.services = services;
    }

    static ImapTestNode start(Path data) throws Exception {
        return start(data, Map.of());
    }

    /** As above, with {@code env} overriding the node's environment (e.g. another blob store). */
    static ImapTestNode start(Path data, Map<String, String> env) throws Exception {
        MailfleetServer server = TestServers.start(TestServers.env(data, env),
                new FirstAccount("user@example.com", "secret", false));
        ExecutorService executor = Executors.newFixedThreadPool(4);
        TlsContextProvider tls = TlsContextProvider.start(TlsSettings.selfSigned("mail.example.com", data));
        ImapServices services = new ImapServices(new DirectoryAuthenticator(server.node().directory(), executor),
                new ClusterMailboxService(server.system(), server.blobs(), executor), server.blobs(),
                server.node().directory(), tls);
        return new ImapTestNode(server, executor, tls, services);
    }

    /** Loopback settings on an ephemeral port with plaintext LOGIN allowed. */
    static ImapSettings settings() {
        return ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0).withPlaintextOnLoopback(true);
    }

    /** Starts a listener with {@code settings}; it is closed with the node. */
    ImapServer listen(ImapSettings settings) {
        ImapServer imap = ImapServer.start(settings, services);
        listeners.add(imap);
        return imap;
    }

    @Override
    public void close() {
        listeners.forEach(ImapServer::close);
        tls.close();
        server.close();
        executor.shutdownNow();
    }
}
