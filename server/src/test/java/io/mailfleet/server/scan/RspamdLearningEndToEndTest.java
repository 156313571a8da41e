package io.mailfleet.server.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code RSPAMD_LEARN=1} with {@code ENABLE_RSPAMD=1}: IMAP moves into and out of Junk go to a real
 * Rspamd controller's {@code /learnspam} and {@code /learnham} (its Bayes on SQLite here, so no Redis),
 * and Rspamd's own statistics count them; a message Rspamd learned already is counted so, never twice.
 */
class RspamdLearningEndToEndTest {

    @TempDir
    Path data;

    @TempDir
    Path daemonDir;

    /** A controller worker (it serves /checkv2 too) whose Bayes learns from the first message. */
    private static Daemon controller(Path dir, int port) throws Exception {
        Path rspamd = ExternalTool.require("rspamd", "rspamd");
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.createDirectories(dir.resolve("override.d"));
        Files.writeString(dir.resolve("override.d/classifier-bayes.conf"), String.join("\n",
                "backend = \"sqlite3\";", "min_learns = 1;", "min_tokens = 1;",
                "learn_condition = \"return function(task, is_spam, is_unlearn) return true end\";",
                "statfile { symbol = \"BAYES_HAM\"; spam = false; path = \"" + db.resolve("ham.sqlite") + "\"; }",
                "statfile { symbol = \"BAYES_SPAM\"; spam = true; path = \"" + db.resolve("spam.sqlite") + "\"; }", ""));
        Path conf = Files.writeString(dir.resolve("rspamd.conf"), String.join("\n",
                ".include \"$CONFDIR/common.conf\"",
                "options {",
                "  pidfile = \"" + dir.resolve("rspamd.pid") + "\";",
                "  dns { nameserver = [\"127.0.0.1:1\"]; timeout = 0.5s; retransmits = 1; }",
                "  disable_hyperscan = true;",
                "}",
                "logging { type = \"console\"; level = \"notice\"; }",
                "worker \"controller\" {",
                "  bind_socket = \"127.0.0.1:" + port + "\";",
                "  count = 1;",
                "  secure_ip = \"127.0.0.1\";",
                "  .include \"$CONFDIR/worker-controller.inc\"",
                "}", ""));
        List<String> cmd = new ArrayList<>(List.of(rspamd.toString(), "-f", "-i", "-c", conf.toString(),
                "--var=DBDIR=" + db, "--var=RUNDIR=" + dir, "--var=LOGDIR=" + dir, "--var=LOCAL_CONFDIR=" + dir));
        if (Daemon.root()) {
            cmd.addAll(List.of("-u", "root", "-g", "root", "--insecure"));
        }
        return Daemon.start(cmd, dir.resolve("rspamd.log"), port);
    }

    private static long learned(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/stat")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stat = new ObjectMapper().readTree(r.body());
        return stat.path("learned").asLong();
    }

    private static void awaitLearned(int port, long n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long got;
        do {
            got = learned(port);
            if (got == n) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("rspamd learned " + got + ", expected " + n);
    }

    /** {@code POST /api/v1/spam/learn} of INBOX as ham; the answer's body. */
    private static String train(Map<String, String> env) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/spam/learn"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"account\":\"" + ScanMail.ACCOUNT
                        + "\",\"folder\":\"INBOX\",\"as\":\"ham\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void movesIntoAndOutOfJunkTeachRspamd() throws Exception {
        int port = TestServers.freePort();
        try (Daemon rspamd = controller(daemonDir, port)) {
            Map<String, String> env = ScanMail.env(data, Map.of("ENABLE_RSPAMD", "1", "RSPAMD_LEARN", "1",
                    "MAILFLEET_RSPAMD_URL", "http://127.0.0.1:" + port), "");
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                assertTrue(ScanMail.send(server, "127.0.0.2", ScanMail.message("cheap pills casino bonus",
                        "Winner, claim your lottery prize now: cheap pills and a casino bonus.", null)).startsWith("250 "));
                assertTrue(ScanMail.send(server, "127.0.0.2", ScanMail.message("project review",
                        "Hi, the project review moved to tomorrow; the agenda is attached.", null)).startsWith("250 "));
                ScanMail.await(server, "INBOX", 2);
                long before = learned(port);
                try (Wire imap = Wire.imap(server.listeners().imapPorts().get(false))) {
                    assertTrue(Wire.last(imap.command("a1", "LOGIN " + ScanMail.ACCOUNT + " secret")).startsWith("a1 OK"));
                    assertTrue(Wire.last(imap.command("a2", "SELECT INBOX")).startsWith("a2 OK"));
                    assertTrue(Wire.last(imap.command("a3", "UID MOVE 1 Junk")).startsWith("a3 OK"));
                    awaitLearned(port, before + 1);
                    assertTrue(Wire.last(imap.command("a4", "SELECT Junk")).startsWith("a4 OK"));
                    assertTrue(Wire.last(imap.command("a5", "MOVE 1 INBOX")).startsWith("a5 OK"),
                            "out of Junk: Rspamd relearns it as ham");
                    awaitLearned(port, before + 2);
                }
                // bulk training of INBOX as ham, twice: the second time Rspamd answers "already learned" for
                // both messages, counted so, and learns nothing (whatever its autolearn did at the scan)
                assertTrue(train(env).contains("\"into\":\"rspamd\""));
                long trained = learned(port);
                String again = train(env);
                assertTrue(again.contains("\"learned\":0,\"relearned\":0,\"alreadyLearned\":2,\"skipped\":0,"
                        + "\"into\":\"rspamd\""), again);
                assertEquals(trained, learned(port), "nothing counted twice");
            }
        }
    }
}
