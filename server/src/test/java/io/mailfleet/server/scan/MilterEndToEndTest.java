package io.mailfleet.server.scan;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.mailfleet.server.scan.ScriptedMilter.int32;
import static io.mailfleet.server.scan.ScriptedMilter.nul;
import static io.mailfleet.server.scan.ScriptedMilter.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Milters on a real node's port 25, at the end of data before the 250: a milter speaking the real wire
 * protocol whose answers the test scripts (accept with added fields, reject, tempfail, reply codes,
 * discard, quarantine, garbage, a hang, a negotiation it refuses, header changes and a new body), and
 * the real OpenDKIM in verify mode.
 */
class MilterEndToEndTest {

    private static final String TEMPFAIL = "451 4.7.1 Service unavailable - try again later";
    /** SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE. */
    private static final int ACTIONS = 0x01 | 0x10 | 0x20;

    @TempDir
    Path data;

    private static String conf(String milter) {
        return "mailfleet.milter.milters = [\"" + milter + "\"]\nmailfleet.scanners.breaker-failures = 1000\n";
    }

    @Test
    void theScriptedMiltersAnswersAreObeyedBeforeThe250() throws Exception {
        try (ScriptedMilter milter = new ScriptedMilter(ACTIONS, 0, ScriptedMilter.accepting())) {
            Map<String, String> env = ScanMail.env(data, Map.of(), conf("{ " + milter.spec()
                    + ", command_timeout = 2s, content_timeout = 2s }"));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                // accept with an added and an inserted field; a 200 KB body goes over in chunks
                milter.script = p -> p.command() == 'E' ? List.of(
                        packet('h', nul("X-Scripted", "yes")),
                        packet('i', int32(0), nul("Authentication-Results", "milter.test;\n dkim=none")),
                        packet('a')) : List.of(packet('c'));
                StringBuilder body = new StringBuilder();
                while (body.length() < 200_000) {
                    body.append("a line of the body that goes to the milter in chunks\r\n");
                }
                assertTrue(ScanMail.send(server, "127.0.0.2", ScanMail.message("big", body.toString(), null))
                        .startsWith("250 "));
                String got = ScanMail.await(server, "INBOX", 1).get(0);
                assertEquals(List.of('O', 'C', 'H', 'M', 'R', 'T', 'N', 'E', 'Q'), milter.received.stream()
                        .map(ScriptedMilter.Packet::command).filter(c -> c != 'D' && c != 'L' && c != 'B').toList());
                assertTrue(got.startsWith("Authentication-Results: milter.test;\r\n dkim=none\r\nX-Scripted: yes\r\n"
                        + "Received: "), got);
                assertEquals("[127.0.0.2]", texts(milter, 'C').get(0).split("\0")[0]);
                assertEquals("client.remote.example\0", texts(milter, 'H').get(0));
                assertEquals("<sender@remote.example>\0", texts(milter, 'M').get(0));
                assertEquals("<" + ScanMail.ACCOUNT + ">\0", texts(milter, 'R').get(0));
                assertTrue(texts(milter, 'L').contains("Subject\0big\0"), texts(milter, 'L').toString());
                ByteArrayOutputStream sent = new ByteArrayOutputStream();
                int chunks = 0;
                for (ScriptedMilter.Packet p : milter.received) {
                    if (p.command() == 'B') {
                        assertTrue(p.data().length <= 65535, "chunk of " + p.data().length);
                        sent.writeBytes(p.data());
                        chunks++;
                    }
                }
                assertTrue(chunks >= 4, chunks + " chunks");
                assertEquals(body + "\r\n", sent.toString(StandardCharsets.UTF_8), "the body as stored, whole");
                assertEquals(List.of('O', 'C', 'H', 'M', 'R', 'T', 'N', 'E', 'Q'), milter.received.stream()
                        .map(ScriptedMilter.Packet::command).filter(c -> c != 'D' && c != 'L' && c != 'B').toList());

                milter.script = p -> p.command() == 'E' ? List.of(packet('r')) : List.of(packet('c'));
                assertEquals("550 5.7.1 Command rejected", send(server, "rejected"));
                milter.script = p -> p.command() == 'R' ? List.of(packet('t')) : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "tempfailed at RCPT"));
                milter.script = p -> p.command() == 'M' ? List.of(packet('y', nul("554 5.7.0 Not today")))
                        : List.of(packet('c'));
                assertEquals("554 5.7.0 Not today", send(server, "reply code at MAIL"));
                milter.script = p -> p.command() == 'E' ? List.of(packet('d')) : List.of(packet('c'));
                assertEquals("554 5.7.1 Message discarded by content filter", send(server, "discarded"));
                milter.script = p -> p.command() == 'E' ? List.of(packet('q', nul("looks odd")), packet('a'))
                        : List.of(packet('c'));
                assertTrue(send(server, "quarantined").startsWith("250 "));
                assertTrue(ScanMail.await(server, "Junk", 1).get(0).contains("Subject: quarantined"));

                // failures: the default action (tempfail) answers, nothing is accepted unexamined
                milter.script = p -> p.command() == 'E' ? List.of(ScriptedMilter.raw("\u00ff\u00ff\u00ff\u00ffz"))
                        : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "garbage"));
                milter.script = p -> p.command() == 'E' ? null : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "hang"));
                milter.actions = ACTIONS | 0x200; // an action no milter protocol defines: not offered
                milter.script = ScriptedMilter.accepting();
                assertEquals(TEMPFAIL, send(server, "needs an unknown action"));

                // hostile envelope changes are failed calls, never queued: a line break in an address, an
                // over-long sender, extra strings in a delrcpt, more recipients added than a transaction takes
                milter.actions = ACTIONS | 0x04 | 0x08 | 0x40; // SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_CHGFROM
                milter.script = p -> p.command() == 'E' ? List.of(packet('+', nul("<a@b.example>\r\nX: y")), packet('a'))
                        : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "line break in an added recipient"));
                milter.script = p -> p.command() == 'E' ? List.of(packet('e', nul("<" + "a".repeat(250) + "@b.example>")),
                        packet('a')) : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "over-long sender"));
                milter.script = p -> p.command() == 'E' ? List.of(packet('-', nul("<" + ScanMail.ACCOUNT + ">", "more")),
                        packet('a')) : List.of(packet('c'));
                assertEquals(TEMPFAIL, send(server, "delrcpt with two strings"));
                milter.script = p -> {
                    if (p.command() != 'E') {
                        return List.of(packet('c'));
                    }
                    List<ScriptedMilter.Packet> many = new ArrayList<>();
                    for (int i = 0; i <= 1000; i++) {
                        many.add(packet('+', nul("<r" + i + "@example.com>")));
                    }
                    many.add(packet('a'));
                    return many;
                };
                assertEquals(TEMPFAIL, send(server, "1001 added recipients"));

                // header changes, an insertion below the top and a new body: the message is rewritten
                milter.actions = ACTIONS | 0x02; // SMFIF_CHGBODY
                milter.script = p -> p.command() == 'E' ? List.of(
                        packet('m', int32(1), nul("Subject", "changed by the milter")),
                        packet('m', int32(1), nul("Message-ID", "")),
                        packet('i', int32(1), nul("X-Inserted", "second")),
                        packet('b', "a new body\r\n".getBytes(StandardCharsets.US_ASCII)),
                        packet('b', "in two chunks\r\n".getBytes(StandardCharsets.US_ASCII)),
                        packet('h', nul("X-Added", "last")),
                        packet('a')) : List.of(packet('c'));
                assertTrue(send(server, "to be rewritten").startsWith("250 "));
                List<String> inbox = ScanMail.await(server, "INBOX", 2);
                String rewritten = inbox.get(1);
                assertTrue(rewritten.startsWith("Received: "), rewritten);
                String head = rewritten.substring(0, rewritten.indexOf("\r\n\r\n") + 2);
                assertTrue(head.contains("\r\nX-Inserted: second\r\nFrom: <sender@remote.example>\r\n"), head);
                assertTrue(head.contains("\r\nSubject: changed by the milter\r\n"), head);
                assertTrue(!head.contains("Message-ID") && !head.contains("to be rewritten"), head);
                assertTrue(head.endsWith("\r\nX-Added: last\r\n"), head);
                assertEquals("a new body\r\nin two chunks\r\n", rewritten.substring(head.length() + 2));

                assertEquals(2, ScanMail.await(server, "INBOX", 2).size());
                String metrics = ScanMail.metrics(env);
                assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"error\",scanner=\"milter:"
                        + milter.spec() + "\"} 6.0"), metrics);
                assertTrue(metrics.contains("mailfleet_scanner_calls_total{outcome=\"timeout\",scanner=\"milter:"
                        + milter.spec() + "\"} 1.0"), metrics);
            }
        }
    }

    @Test
    void withDefactionAcceptAFailingMilterLetsMailThrough() throws Exception {
        try (ScriptedMilter milter = new ScriptedMilter(ACTIONS, 0,
                p -> p.command() == 'E' ? List.of(ScriptedMilter.raw("garbage!")) : List.of(packet('c')))) {
            Map<String, String> env = ScanMail.env(data, Map.of(), conf("{ " + milter.spec()
                    + ", default_action = accept }"));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                assertTrue(send(server, "through a broken milter").startsWith("250 "));
                milter.close();
                assertTrue(send(server, "milter down").startsWith("250 "));
                assertEquals(2, ScanMail.await(server, "INBOX", 2).size());
            }
        }
    }

    @Test
    void openDkimInVerifyModeAddsItsAuthenticationResults() throws Exception {
        Path opendkim = ExternalTool.require("opendkim", "opendkim");
        Path dir = Files.createDirectories(data.resolveSibling(data.getFileName() + "-opendkim"));
        int port = TestServers.freePort();
        List<String> conf = new ArrayList<>(List.of("Mode v", "Socket inet:" + port + "@127.0.0.1",
                "AuthservID mx.milter.test", "AlwaysAddARHeader yes", "Syslog no",
                "PidFile " + dir.resolve("opendkim.pid")));
        if (Daemon.root()) {
            conf.add("UserID opendkim");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        }
        Path file = Files.write(dir.resolve("opendkim.conf"), conf);
        try (Daemon d = Daemon.start(List.of(opendkim.toString(), "-f", "-x", file.toString()), dir.resolve("opendkim.log"),
                port)) {
            Map<String, String> env = ScanMail.env(data, Map.of(), conf("inet:127.0.0.1:" + port));
            try (MailfleetServer server = TestServers.start(env, new FirstAccount(ScanMail.ACCOUNT, "secret", false))) {
                assertTrue(send(server, "unsigned").startsWith("250 "));
                String got = ScanMail.await(server, "INBOX", 1).get(0);
                assertTrue(got.startsWith("Authentication-Results: mx.milter.test;"), got);
                assertTrue(!got.startsWith("Authentication-Results:  "), "one space after the colon: " + got);
                assertTrue(got.substring(0, got.indexOf("Received: ")).contains("dkim=none"), got);
            }
        }
    }

    private static String send(MailfleetServer server, String subject) throws Exception {
        return ScanMail.send(server, "127.0.0.2", ScanMail.message(subject, "hello", null));
    }

    private static List<String> texts(ScriptedMilter m, char command) {
        return m.received.stream().filter(p -> p.command() == command).map(ScriptedMilter.Packet::text).toList();
    }
}
