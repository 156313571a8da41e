package io.mailfleet.server.api;

import com.typesafe.config.ConfigFactory;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.InMemoryDirectoryService;
import io.mailfleet.server.admin.PasswordHasher;
import io.mailfleet.server.config.ManagementSettings;
import io.mailfleet.server.config.QuotaSettings;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.ServerBinding;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A management API server on a free loopback port over an in-memory directory, for end-to-end tests. */
public final class ApiFixture implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789abcdef";
    public static final PasswordHasher SHA512 = PasswordHasher.forScheme("SHA512-CRYPT");

    public final InMemoryDirectoryService directory = new InMemoryDirectoryService();
    public final Map<String, Long> usage = new HashMap<>();
    /** Accounts whose mailbox the API was told to empty, in order. */
    public final java.util.List<String> purged = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final ActorTestKit testKit;
    public final ServerBinding binding;
    public volatile String selfStatus = "Up";

    public ApiFixture(boolean quotasEnabled) throws Exception {
        testKit = ActorTestKit.create("api-" + System.nanoTime(),
                ConfigFactory.parseString("pekko.actor.provider = local\npekko.loglevel = WARNING")
                        .withFallback(ConfigFactory.load()));
        DirectoryAdmin admin = new DirectoryAdmin(directory, SHA512, a -> usage.getOrDefault(a, 0L),
                new QuotaSettings(quotasEnabled, 0), account -> {
                    purged.add(account);
                    return java.util.concurrent.CompletableFuture.completedFuture(0);
                });
        String self = "pekko://mailfleet@127.0.0.1:7355";
        NodeStatusSource status = () -> new NodeStatus(self,
                List.of(new NodeStatus.Member(self, selfStatus, Set.of("dc-default")),
                        new NodeStatus.Member("pekko://mailfleet@127.0.0.2:7355", "Joining", Set.of())),
                Optional.of(self), Duration.ofSeconds(42),
                new NodeStatus.DirectoryCounts(directory.view().localDomains().size(),
                        directory.view().accountCount(), directory.view().aliasCount()));
        binding = ManagementServer.start(testKit.system(), new ManagementSettings("127.0.0.1", 0, TOKEN), admin, status)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return binding.localAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() throws Exception {
        binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        testKit.shutdownTestKit();
    }
}
