package io.mailfleet.server.imap;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.cluster.mailbox.ClusterMailboxService;
import io.mailfleet.core.mime.HeaderLimits;
import io.mailfleet.core.service.HeavyWorkGate;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * APPEND enforces the header limits SMTP enforces; messages stored before the limits (here through
 * a listener with raised limits) are still searched and fetched, with bounded work.
 */
class ImapHeaderLimitTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static ExecutorService executor;
    static TlsContextProvider tls;
    static HeavyWorkGate gate;
    /** The node's default limits. */
    static ImapServer imap;
    /** A listener as before the limits existed: how big headers got into mailboxes. */
    static ImapServer legacy;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(TestServers.env(data, Map.of()), new FirstAccount("user@example.com", "secret", false));
        executor = Executors.newFixedThreadPool(4);
        tls = TlsContextProvider.start(TlsSettings.none());
        gate = new HeavyWorkGate(1, 2);
        ImapServices services = new ImapServices(new DirectoryAuthenticator(server.node().directory(), executor),
                new ClusterMailboxService(server.system(), server.blobs(), executor), server.blobs(),
                server.node().directory(), tls).withHeavyWork(gate);
        ImapSettings settings = ImapSettings.defaults(0, false, "mail.example.com").withBind("127.0.0.1", 0)
                .withPlaintextOnLoopback(true);
        imap = ImapServer.start(settings, services);
        legacy = ImapServer.start(settings, services.withHeaderLimits(new HeaderLimits(64 * 1024 * 1024, 998)));
    }

    @AfterAll
    static void stop() {
        legacy.close();
        imap.close();
        gate.close();
        tls.close();
        server.close();
        executor.shutdownNow();
    }

    private static Wire login(ImapServer s) throws Exception {
        Wire c = Wire.imap(s.port());
        assertTrue(Wire.last(c.command("L", "LOGIN user@example.com secret")).startsWith("L OK"));
        return c;
    }

    private static List<String> append(Wire c, String folder, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        c.write("A APPEND " + folder + " {" + b.length + "+}\r\n");
        c.write(b);
        c.write("\r\n");
        return c.untilTagged("A");
    }

    private static String manyFields(int bytes) {
        StringBuilder sb = new StringBuilder("Subject: many\r\n");
        while (sb.length() <= bytes) {
            sb.append("X-A: b\r\n");
        }
        return sb.toString();
    }

    @Test
    void appendRefusesHeadersOverTheLimitsAndKeepsTheSession() throws Exception {
        try (Wire c = login(imap)) {
            c.command("c", "CREATE limits");
            assertEquals("A NO [LIMIT] Message header size exceeds limit",
                    Wire.last(append(c, "limits", manyFields(HeaderLimits.DEFAULT_HEADER_BYTES) + "\r\nbody\r\n")));
            assertEquals("A NO [LIMIT] Message header size exceeds limit",
                    Wire.last(append(c, "limits", "X-Big: " + "z".repeat(2_000_000) + "\r\n\r\nbody\r\n")));
            assertEquals("A NO [LIMIT] Message header size exceeds limit",
                    Wire.last(append(c, "limits", "Subject: " + "s".repeat(990) + "\r\n\r\nbody\r\n")));
            // a synchronizing literal: the client is told to go on, the rest is read and dropped
            String big = manyFields(200_000) + "\r\nbody\r\n";
            c.write("S APPEND limits {" + big.length() + "}\r\n");
            assertTrue(c.line().startsWith("+"));
            c.write(big + "\r\n");
            assertEquals("S NO [LIMIT] Message header size exceeds limit", Wire.last(c.untilTagged("S")));
            // MULTIAPPEND: one refused message stores none
            String ok = "Subject: fine\r\n\r\nbody\r\n";
            String bad = "X-Big: " + "z".repeat(5000) + "\r\n\r\nbody\r\n";
            c.write("M APPEND limits {" + ok.length() + "+}\r\n" + ok + " {" + bad.length() + "+}\r\n" + bad + "\r\n");
            assertEquals("M NO [LIMIT] Message header size exceeds limit", Wire.last(c.untilTagged("M")));
            assertTrue(c.command("s", "STATUS limits (MESSAGES)").get(0).contains("MESSAGES 0"));
            // within the limits, including a long body line, the message is stored
            assertTrue(Wire.last(append(c, "limits", manyFields(90_000) + "\r\n" + "b".repeat(5000) + "\r\n"))
                    .startsWith("A OK"));
            assertTrue(c.command("s", "STATUS limits (MESSAGES)").get(0).contains("MESSAGES 1"));
        }
    }

    @Test
    void oversizedStoredHeadersAreSearchedAndFetchedWithBoundedWork() throws Exception {
        StringBuilder header = new StringBuilder("Subject: huge one\r\nX-Big: start zzz\r\n");
        while (header.length() < 3_000_000) {
            header.append("\tcontinuation ").append("y".repeat(900)).append("\r\n");
        }
        header.append("X-Late: marker\r\nTo: late@example.org\r\n");
        String body = "first line\r\nneedle in the body of a large message\r\n";
        String encoded = Base64.getMimeEncoder().encodeToString("a secret haystack word".getBytes(StandardCharsets.UTF_8));
        String multipart = "Subject: parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + encoded
                + "\r\n--b--\r\n";
        try (Wire c = login(legacy)) {
            c.command("c", "CREATE legacy");
            assertTrue(Wire.last(append(c, "legacy", header + "\r\n" + body)).startsWith("A OK"));
            assertTrue(Wire.last(append(c, "legacy", multipart)).startsWith("A OK"));
        }
        try (Wire c = login(imap)) {
            assertTrue(Wire.last(c.command("s", "SELECT legacy")).startsWith("s OK"));
            assertEquals("* SEARCH 1", c.command("a", "SEARCH HEADER X-Big zzz").get(0));
            assertEquals("* SEARCH 1", c.command("b", "SEARCH SUBJECT huge").get(0));
            // fields past the first 256 KiB of a header are not searched (bounded work, documented)
            assertEquals("* SEARCH", c.command("d", "SEARCH HEADER X-Late marker").get(0));
            assertEquals("* SEARCH 1", c.command("e", "SEARCH TEXT needle").get(0));
            assertEquals("* SEARCH 1", c.command("f", "SEARCH BODY NEEDLE").get(0));
            assertEquals("* SEARCH 2", c.command("g", "SEARCH BODY haystack").get(0));
            assertEquals("* SEARCH 2", c.command("h", "SEARCH TEXT SECRET").get(0));
            assertEquals("* SEARCH", c.command("i", "SEARCH TEXT absent-word").get(0));

            List<String> fields = c.command("j", "FETCH 1 BODY.PEEK[HEADER.FIELDS (Subject X-Late)]");
            assertEquals("* 1 FETCH (BODY[HEADER.FIELDS (Subject X-Late)] {37}\r\n"
                    + "Subject: huge one\r\nX-Late: marker\r\n\r\n)", fields.get(0));
            List<String> not = c.command("k", "FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (X-Big Subject)]");
            assertEquals("* 1 FETCH (BODY[HEADER.FIELDS.NOT (X-Big Subject)] {40}\r\n"
                    + "X-Late: marker\r\nTo: late@example.org\r\n\r\n)", not.get(0));
            List<String> bigNot = c.command("l", "FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Subject)]<0.20>");
            assertEquals("* 1 FETCH (BODY[HEADER.FIELDS.NOT (Subject)]<0> {20}\r\nX-Big: start zzz\r\n\tc)",
                    bigNot.get(0));
            List<String> whole = c.command("m", "FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (Subject)]");
            int expected = header.length() - "Subject: huge one\r\n".length() + 2;
            assertTrue(whole.get(0).startsWith("* 1 FETCH (BODY[HEADER.FIELDS.NOT (Subject)] {" + expected + "}"),
                    whole.get(0).substring(0, 80));
            assertTrue(whole.get(0).endsWith("X-Late: marker\r\nTo: late@example.org\r\n\r\n)"));
            assertTrue(Wire.last(whole).startsWith("m OK"));
            assertTrue(c.command("n", "SORT (SUBJECT) UTF-8 ALL").get(0).startsWith("* SORT 1 2"));
            assertTrue(c.command("o", "THREAD REFERENCES UTF-8 ALL").get(0).startsWith("* THREAD "));
        }
    }
}
