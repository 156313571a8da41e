package io.mailfleet.bench;

import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.protocols.smtp.SmtpMode;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A single-node server started in this JVM on a fresh data directory with the real storage (blob
 * files, H2 journal, sharded entities), with one account per benchmark recipient. Its log goes to a
 * file in the data directory: the server still writes its per-message lines (that cost is part of
 * the measurement), they just do not flood the report.
 */
final class InProcessNode implements AutoCloseable {

    static final String DOMAIN = "example.com";

    private final Path data;
    private final MailfleetServer server;
    private final List<String> accounts;
    private final boolean keepData;

    private final int perMessage;
    private final Map<String, String> env;

    private InProcessNode(Path data, MailfleetServer server, List<String> accounts, int perMessage, boolean keepData,
                          Map<String, String> env) {
        this.perMessage = perMessage;
        this.env = Map.copyOf(env);
        this.data = data;
        this.server = server;
        this.accounts = accounts;
        this.keepData = keepData;
    }

    /**
     * Starts the node with {@code mailboxes} accounts bench@, bench2@, ... of {@value #DOMAIN}; each
     * message goes to {@code perMessage} of them.
     */
    static InProcessNode start(int mailboxes, int perMessage, boolean keepData) throws Exception {
        return start(mailboxes, perMessage, keepData, java.util.Set.of(), false, null);
    }

    /**
     * As above, with the inbound {@code checks} on, the load client not trusted when {@code internetClient},
     * and the node's DNS resolver at {@code dnsServer}.
     */
    static InProcessNode start(int mailboxes, int perMessage, boolean keepData, java.util.Set<BenchChecks.Group> checks,
                               boolean internetClient, String dnsServer) throws Exception {
        int recipients = mailboxes;
        Path data = Files.createTempDirectory("mailfleet-bench-");
        Path log = data.resolve("server.log");
        BenchNodes.logTo(log);
        Map<String, String> env = BenchNodes.loopbackEnv(data);
        BenchChecks.apply(checks, internetClient, env, dnsServer, data.resolve("dms-config"));
        List<String> accounts = new ArrayList<>();
        for (int i = 1; i <= recipients; i++) {
            accounts.add((i == 1 ? "bench" : "bench" + i) + "@" + DOMAIN);
        }
        LoadedConfig loaded = MailfleetConfig.load(null, env);
        MailfleetServer server;
        try {
            server = MailfleetServer.start(loaded, new FirstAccount(accounts.get(0), "bench-password", false));
        } catch (Exception | Error e) {
            System.err.println("bench: the node failed to start; its data and log are kept in " + data);
            throw e;
        }
        InProcessNode node = new InProcessNode(data, server, List.copyOf(accounts), perMessage, keepData, env);
        try {
            String hash = PasswordSchemes.hash("bench-password");
            for (String a : accounts.subList(1, accounts.size())) {
                server.node().directory().apply(new DirectoryChange.AddAccount(a, hash))
                        .toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            node.close();
            throw e;
        }
        return node;
    }

    InetSocketAddress mxAddress() {
        return new InetSocketAddress("127.0.0.1", server.listeners().smtpPorts().get(SmtpMode.MX));
    }

    List<String> accounts() {
        return accounts;
    }

    Path dataDir() {
        return data;
    }

    /** The node's environment: what a {@code ./mailfleet} command needs to reach its management API. */
    Map<String, String> env() {
        return env;
    }

    /** The folders and usage of {@code account} as its mailbox entity has them. */
    MailboxEntity.Status status(String account) throws Exception {
        return server.node().mailboxes().status(account).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Messages fully delivered: INBOX copies over every account, divided by recipients per message. */
    long delivered() throws Exception {
        List<java.util.concurrent.CompletableFuture<MailboxEntity.Status>> all = new ArrayList<>();
        for (String a : accounts) {
            all.add(server.node().mailboxes().status(a).toCompletableFuture());
        }
        long copies = 0;
        for (var f : all) {
            copies += f.get(30, TimeUnit.SECONDS).folders().stream().filter(x -> x.name().equalsIgnoreCase("INBOX"))
                    .mapToLong(MailboxEntity.FolderStatus::messages).sum();
        }
        return copies / perMessage;
    }

    @Override
    public void close() {
        server.close();
        if (!keepData) {
            BenchNodes.deleteTree(data);
        }
    }
}
