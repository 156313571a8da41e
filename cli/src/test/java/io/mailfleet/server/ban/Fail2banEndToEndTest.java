package io.mailfleet.server.ban;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.ban.ClusterBanService;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.service.Authenticator;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.InMemoryDirectoryService;
import io.mailfleet.server.admin.PasswordHasher;
import io.mailfleet.server.api.BanRoutes;
import io.mailfleet.server.api.ManagementRoutes;
import io.mailfleet.server.api.NodeStatus;
import io.mailfleet.server.config.QuotaSettings;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.JournalSchema;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpServer;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.SmtpSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * The fail2ban CLI verbs through the management API of a real one-node cluster, and their effect on
 * a real SMTP submission listener behind the PROXY protocol: failed logins ban, manual bans drop.
 */
class Fail2banEndToEndTest {

    private static final String TOKEN = "fail2ban-test-token-0123456789";

    @TempDir
    Path data;

    /** A client connection through the load balancer: PROXY v1 header with {@code clientIp}. */
    private static Socket viaProxy(int port, String clientIp) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("PROXY TCP4 " + clientIp + " 192.0.2.1 40000 587\r\n").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** Null when the server closes without sending anything (dropped), else the banner line. */
    private static String banner(int port, String clientIp) throws IOException {
        try (Wire w = Wire.over(Wire.Protocol.LINES, viaProxy(port, clientIp))) {
            return w.lineOrNull();
        }
    }

    @Test
    void fail2banVerbsAndBansOnARealListener() throws Exception {
        ActorTestKit node = TestNodes.node(data);
        ExecutorService hashing = Executors.newFixedThreadPool(2);
        FileBlobStore blobs = new FileBlobStore(data.resolve("blobs"));
        TlsContextProvider tls = TlsContextProvider.start(TlsSettings.none());
        SmtpServer smtp = null;
        ServerBinding api = null;
        try {
            JournalSchema.ensure(node.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(node.system(), node.system());
            TestNodes.awaitUp(node.system(), 1);
            ClusterBanService bans = ClusterBanService.start(node.system(), BanPolicy.defaults());

            InMemoryDirectoryService directory = new InMemoryDirectoryService();
            directory.apply(new DirectoryChange.AddAccount("user@example.com", "{PLAIN}right")).toCompletableFuture().get();
            DirectoryAuthenticator directoryAuth = new DirectoryAuthenticator(directory, hashing);
            // The wiring DirectoryAuthenticator gets: every failed login is reported to the ban list.
            Authenticator reporting = (login, password, protocol, ip) -> directoryAuth
                    .authenticate(login, password, protocol, ip).thenApply(r -> {
                        if (!r.success()) {
                            bans.reportFailure(ip, protocol, r.reason());
                        }
                        return r;
                    });
            SmtpSettings settings = SmtpSettings.defaults(SmtpMode.SUBMISSION, 0, "mail.example.com", "postmaster@example.com")
                    .withBind("127.0.0.1", 0);
            smtp = SmtpServer.start(settings, new SmtpServices(directory, reporting, blobs,
                    (env, blob) -> CompletableFuture.failedFuture(new IllegalStateException("no queue in this test")),
                    account -> 0, tls,
                    AcceptGuard.of(bans, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.0/8"))))));
            int port = smtp.port();

            DirectoryAdmin admin = new DirectoryAdmin(directory, PasswordHasher.forScheme("SHA512-CRYPT"), a -> 0L,
                    new QuotaSettings(false, 0));
            String self = "pekko://mailfleet@127.0.0.1:7355";
            ManagementRoutes routes = new ManagementRoutes(TOKEN, admin, () -> new NodeStatus(self,
                    List.of(new NodeStatus.Member(self, "Up", Set.of())), Optional.of(self), Duration.ofSeconds(1),
                    new NodeStatus.DirectoryCounts(1, 1, 0)), new BanRoutes(bans, true));
            api = Http.get(node.system()).newServerAt("127.0.0.1", 0).bind(routes.routes())
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            Path cliData = Files.createDirectories(data.resolve("cli"));
            Files.writeString(cliData.resolve("api-token"), TOKEN + "\n");
            Map<String, String> env = Map.of("OVERRIDE_HOSTNAME", "mail.example.com", "MAILFLEET_DATA", cliData.toString(),
                    "MAILFLEET_MANAGEMENT_PORT", Integer.toString(api.localAddress().getPort()));

            CliRun none = cli(env, "fail2ban");
            assertEquals(0, none.code(), none.toString());
            assertEquals("INFO: No IPs have been banned\n", none.out());

            // Six failed logins from one client behind the proxy; a session ends after three of them.
            for (int c = 0; c < 2; c++) {
                try (Wire client = Wire.over(Wire.Protocol.SMTP, viaProxy(port, "198.51.100.23"))) {
                    client.expect("220 ");
                    client.send("EHLO attacker.example").expect("250");
                    for (int i = 0; i < 3; i++) {
                        String plain = Base64.getEncoder().encodeToString(("\0user@example.com\0wrong" + c + i)
                                .getBytes(StandardCharsets.UTF_8));
                        client.send("AUTH PLAIN " + plain).expect("535");
                    }
                    assertEquals("421 4.7.0 mail.example.com Error: too many authentication failures", client.lineOrNull());
                }
            }
            TestNodes.await(() -> bans.isBanned(IpNetwork.parse("198.51.100.23").address()), Duration.ofSeconds(15),
                    "banned after six failed logins");
            assertEquals(null, banner(port, "198.51.100.23"), "the banned client is dropped before the banner");
            assertTrue(banner(port, "198.51.100.24").startsWith("220 "), "its neighbour is not");

            CliRun listed = cli(env, "fail2ban");
            assertEquals(0, listed.code(), listed.toString());
            assertEquals("Banned in postfix-sasl: 198.51.100.23\n", listed.out());

            CliRun ban = cli(env, "fail2ban", "ban", "203.0.113.0/24");
            assertEquals(0, ban.code(), ban.toString());
            assertEquals("Banned custom IP: 1\n", ban.out());
            assertEquals(null, banner(port, "203.0.113.9"), "manual network ban drops at accept");
            CliRun again = cli(env, "fail2ban", "ban", "203.0.113.0/24");
            assertEquals(1, again.code());
            assertTrue(again.err().contains("Already banned?"), again.toString());
            CliRun v6 = cli(env, "fail2ban", "ban", "2001:db8:77::1");
            assertEquals(0, v6.code(), v6.toString());

            CliRun bad = cli(env, "fail2ban", "ban", "not-an-ip");
            assertEquals(1, bad.code());
            assertTrue(bad.err().contains("'not-an-ip' is not an IP address or network"), bad.toString());
            CliRun local = cli(env, "fail2ban", "ban", "127.0.0.1");
            assertEquals(1, local.code());
            assertTrue(local.err().contains("ignore list"), local.toString());
            CliRun missing = cli(env, "fail2ban", "ban");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("You need to specify an IP address"), missing.toString());

            CliRun list2 = cli(env, "fail2ban");
            assertEquals("Banned in custom: 2001:db8:77::1, 203.0.113.0/24\nBanned in postfix-sasl: 198.51.100.23\n",
                    list2.out());

            CliRun status = cli(env, "fail2ban", "status");
            assertEquals(0, status.code(), status.toString());
            assertTrue(status.out().contains("Fail2ban: enabled, block type drop"), status.out());
            assertTrue(status.out().contains("ban after 6 failures within 7d for 7d; manual bans last 180d"), status.out());
            assertTrue(status.out().contains("Never banned: 127.0.0.0/8, ::1"), status.out());
            assertTrue(status.out().contains("Status for the jail: dovecot\n`- Actions\n   |- Currently banned: 0"), status.out());
            assertTrue(status.out().contains("Status for the jail: custom\n`- Actions\n   |- Currently banned: 2"), status.out());
            assertTrue(status.out().contains("      198.51.100.23 (until "), status.out());

            CliRun unban = cli(env, "fail2ban", "unban", "203.0.113.0/24");
            assertEquals(0, unban.code(), unban.toString());
            assertEquals("Unbanned IP from custom: 1\n", unban.out());
            assertTrue(banner(port, "203.0.113.9").startsWith("220 "), "unbanned: served again");
            CliRun unbanAgain = cli(env, "fail2ban", "unban", "203.0.113.0/24");
            assertEquals(0, unbanAgain.code());
            assertTrue(unbanAgain.err().contains("is not banned in any jail"), unbanAgain.toString());
            assertEquals("Unbanned IP from postfix-sasl: 1\n", cli(env, "fail2ban", "unban", "198.51.100.23").out());
            assertTrue(banner(port, "198.51.100.23").startsWith("220 "));

            // issue 12: a ban of everything by mistake is refused; a wide ban must be forced
            CliRun all4 = cli(env, "fail2ban", "ban", "0.0.0.0/0");
            assertEquals(1, all4.code(), all4.toString());
            assertTrue(all4.err().contains("'0.0.0.0/0' is wider than /8") && all4.err().contains("--force"), all4.toString());
            CliRun all6 = cli(env, "fail2ban", "ban", "::/0");
            assertEquals(1, all6.code(), all6.toString());
            assertTrue(all6.err().contains("'::/0' is wider than /32"), all6.toString());
            assertTrue(banner(port, "198.51.100.24").startsWith("220 "), "a refused wide ban bans nobody");
            assertEquals(0, cli(env, "fail2ban", "ban", "10.0.0.0/8").code(), "/8 is within the limit");
            CliRun forced = cli(env, "fail2ban", "ban", "--force", "192.0.0.0/2");
            assertEquals(0, forced.code(), forced.toString());
            assertEquals(null, banner(port, "198.51.100.24"), "a forced wide ban is enforced");
            assertEquals("Unbanned IP from custom: 1\n", cli(env, "fail2ban", "unban", "192.0.0.0/2").out());
            assertEquals("Unbanned IP from custom: 1\n", cli(env, "fail2ban", "unban", "10.0.0.0/8").out());
            assertTrue(banner(port, "198.51.100.24").startsWith("220 "));

            assertEquals(2, cli(env, "fail2ban", "frobnicate").code());
            assertEquals(1, cli(env, "fail2ban", "log").code());
            assertTrue(cli(env, "fail2ban", "help").out().contains("./mailfleet fail2ban"));

            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + api.localAddress().getPort() + "/api/v1/fail2ban";
            HttpResponse<String> badJson = http.send(HttpRequest.newBuilder(URI.create(base + "/bans"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{nope")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, badJson.statusCode(), badJson.body());
            assertTrue(badJson.body().contains("invalid JSON"), badJson.body());
            HttpResponse<String> wide = http.send(HttpRequest.newBuilder(URI.create(base + "/bans"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ip\":\"2001:db8::/16\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, wide.statusCode(), wide.body());
            assertTrue(wide.body().contains("\"too-wide\"") && wide.body().contains("force=true"), wide.body());
            HttpResponse<String> forcedApi = http.send(HttpRequest.newBuilder(URI.create(base + "/bans?force=true"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ip\":\"2001:db8::/16\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, forcedApi.statusCode(), forcedApi.body());
                        HttpResponse<String> noIp = http.send(HttpRequest.newBuilder(URI.create(base + "/bans"))
                    .header("Authorization", "Bearer " + TOKEN).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, noIp.statusCode(), noIp.body());
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noToken.statusCode());
        } finally {
            if (api != null) {
                api.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (smtp != null) {
                smtp.close();
            }
            tls.close();
            blobs.close();
            hashing.shutdownNow();
            node.shutdownTestKit();
        }
    }
}
