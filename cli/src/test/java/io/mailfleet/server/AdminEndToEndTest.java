package io.mailfleet.server;

import io.mailfleet.cli.CliRun;
import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/** The CLI and the management API against a real running node, then mail through what they set up. */
class AdminEndToEndTest {

    @TempDir
    Path data;

    @Test
    void setupVerbsDriveTheRunningNode() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of());
        try (MailfleetServer server = TestServers.start(env, null)) {
            CliRun add = cli(env, "email", "add", "New@Example.com", "s3cret-pw");
            assertEquals(0, add.code(), add.toString());
            assertTrue(server.node().directory().view().account("new@example.com").isPresent());

            CliRun again = cli(env, "email", "add", "new@example.com", "other");
            assertEquals(1, again.code());
            assertTrue(again.err().contains("already exists"), again.toString());

            assertEquals(0, cli(env, "alias", "add", "info@example.com", "new@example.com").code());
            CliRun aliasOnAccount = cli(env, "email", "add", "info@example.com", "pw");
            assertEquals(1, aliasOnAccount.code());
            assertTrue(aliasOnAccount.err().contains("alias"), aliasOnAccount.toString());

            assertEquals(0, cli(env, "quota", "set", "new@example.com", "10M").code());
            assertEquals(10L * 1024 * 1024, server.node().directory().view().quota("new@example.com").orElseThrow());
            CliRun badQuota = cli(env, "quota", "set", "new@example.com", "10X");
            assertEquals(1, badQuota.code());
            assertTrue(badQuota.err().contains("Invalid quota format"), badQuota.toString());

            CliRun list = cli(env, "email", "list");
            assertEquals(0, list.code(), list.toString());
            assertTrue(list.out().contains("* new@example.com"), list.out());
            assertTrue(list.out().contains("info@example.com"), list.out());

            CliRun invalid = cli(env, "frobnicate");
            assertEquals(2, invalid.code());
            assertTrue(invalid.err().contains("The command 'frobnicate' is invalid."), invalid.toString());
            CliRun badAddress = cli(env, "email", "add", "no-domain", "pw");
            assertEquals(1, badAddress.code());

            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            SmtpDeliveryEndToEndTest.send(port, "someone@remote.example", "info@example.com", "via the CLI alias");
            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "new@example.com", 1);
            assertEquals(1, inbox.size());

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/accounts")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, noToken.statusCode());
            assertTrue(noToken.body().contains("\"code\""), noToken.body());

            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + env.get("MAILFLEET_CLUSTER_MANAGEMENT_PORT") + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            HttpResponse<String> members = http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + env.get("MAILFLEET_CLUSTER_MANAGEMENT_PORT") + "/cluster/members")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, members.statusCode(), members.body());
            assertTrue(members.body().contains("Up"), members.body());

            var mbeans = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            var names = mbeans.queryNames(new javax.management.ObjectName("io.mailfleet:type=Node,*"), null);
            assertEquals(1, names.size(), names.toString());
            var nodeBean = names.iterator().next();
            assertEquals(1, mbeans.getAttribute(nodeBean, "AccountCount"));
            assertEquals("Up", mbeans.getAttribute(nodeBean, "MemberStatus"));

            assertEquals(0, cli(env, "email", "del", "new@example.com").code());
            assertTrue(server.node().directory().view().account("new@example.com").isEmpty());
            assertTrue(server.node().directory().view().aliasTargets("info@example.com").isEmpty(),
                    "deleting an account removes it from alias targets");
        }
    }
}
