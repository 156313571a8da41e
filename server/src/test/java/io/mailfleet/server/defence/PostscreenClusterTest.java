package io.mailfleet.server.defence;

import io.mailfleet.cluster.postscreen.ClusterPassCache;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dnsbl.DnsblEvaluator;
import io.mailfleet.core.dnsbl.DnsblSites;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.check.RefusalCounter;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.dnsbl.DnsblCheck;
import io.mailfleet.protocols.smtp.dnsbl.DnsblSettings;
import io.mailfleet.protocols.smtp.postscreen.PassCache;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;
import io.mailfleet.protocols.smtp.postscreen.PostscreenTest;
import io.mailfleet.server.ClusterPostscreenPasses;
import io.mailfleet.testkit.Wire;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Postscreen's cache across two cluster nodes in one JVM, each with a real port-25 listener running the
 * pregreet and DNSBL tests (its own DNS resolver, asking zones on a real DNS server on loopback) behind
 * the PROXY protocol: a client that passed both on node A skips both on node B (one-line banner at
 * once, no DNS question), while a listed client is tested again on every connection.
 */
class PostscreenClusterTest {

    private static final String SITES = "zen.test=127.0.0.[2..11]*3";

    @TempDir
    Path data;

    private SmtpClusterFixture fx;
    private TestDnsServer dns;
    private final Map<ActorTestKit, PassCache> passes = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new SmtpClusterFixture(data);
        dns = new TestDnsServer().a("21.100.51.198.zen.test", "127.0.0.2");
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
        dns.close();
    }

    private PassCache passes(ActorTestKit kit) {
        return passes.computeIfAbsent(kit, k -> new ClusterPostscreenPasses(ClusterPassCache.start(k.system(), 1000)));
    }

    private List<SmtpClusterFixture.Node> cluster() throws Exception {
        return fx.cluster(2, SmtpMode.MX, kit -> {
            AsyncDnsResolver resolver = new AsyncDnsResolver(dns.settings(Duration.ofSeconds(2)).resolverSettings());
            return SmtpChecks.NONE.withConnect(new DnsblCheck(new DnsblEvaluator(resolver, DnsblSites.parse(SITES)),
                    new DnsblSettings(DnsblSites.parse(SITES), 3, PostscreenAction.DROP, Duration.ofHours(1)),
                    passes(kit), List.of(Cidr.parse("198.18.0.0/15")), RefusalCounter.NONE));
        }, kit -> new Postscreen(new PostscreenSettings(true, PostscreenAction.DROP, Duration.ofSeconds(1),
                Duration.ofDays(1)), passes(kit)));
    }

    /** Connects to {@code port} as {@code client} (PROXY header) and returns the first line the server sends. */
    private static Wire connect(int port, String client) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        Wire w = Wire.over(Wire.Protocol.SMTP, socket);
        w.send("PROXY TCP4 " + client + " 192.0.2.25 40000 25");
        return w;
    }

    @Test
    void aPassOnOneNodeSkipsBothTestsOnTheOther() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster();
        int a = nodes.get(0).port();
        int b = nodes.get(1).port();
        String client = "198.51.100.20";

        try (Wire w = connect(a, client)) {
            assertEquals("220-mail.example.com ESMTP", w.line(), "node A: the pregreet test's first line");
            assertEquals("220 mail.example.com ESMTP", w.line());
            w.send("EHLO client.example.org").expect("250");
            w.send("MAIL FROM:<news@sender.example>").expect("250 2.1.0 Ok");
            w.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
        assertTrue(dns.queries.get() > 0, "node A looked the client up");
        int asked = dns.queries.get();

        InetAddress ip = InetAddress.getByName(client);
        PassCache onB = passes(nodes.get(1).kit());
        TestNodes.await(() -> onB.passed(ip, PostscreenTest.PREGREET) && onB.passed(ip, PostscreenTest.DNSBL),
                Duration.ofSeconds(20), "node A's passes replicated to node B");
        try (Wire w = connect(b, client)) {
            assertEquals("220 mail.example.com ESMTP", w.line(), "node B: no pregreet wait");
            w.send("EHLO client.example.org").expect("250");
            w.send("MAIL FROM:<news@sender.example>").expect("250 2.1.0 Ok");
            w.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
        assertEquals(asked, dns.queries.get(), "node B asked no DNS question");
    }

    @Test
    void aListedClientIsRefusedOnEveryNodeAndOnlyItsPregreetPassIsShared() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster();
        String listed = "198.51.100.21";
        String refused = "521 5.7.1 Service unavailable; client [" + listed + "] blocked using zen.test";
        try (Wire w = connect(nodes.get(0).port(), listed)) {
            assertEquals("220-mail.example.com ESMTP", w.line(), "the pregreet test runs first");
            assertEquals(refused, w.line());
            assertNull(w.lineOrNull());
        }
        InetAddress ip = InetAddress.getByName(listed);
        PassCache onB = passes(nodes.get(1).kit());
        TestNodes.await(() -> onB.passed(ip, PostscreenTest.PREGREET), Duration.ofSeconds(20),
                "the silent client's pregreet pass replicated to node B");
        int asked = dns.queries.get();
        try (Wire w = connect(nodes.get(1).port(), listed)) {
            assertEquals(refused, w.line(), "node B: no pregreet wait, but the DNSBL test again");
            assertNull(w.lineOrNull());
        }
        assertTrue(dns.queries.get() > asked, "node B looked the listed client up");
        for (SmtpClusterFixture.Node n : nodes) {
            assertTrue(!passes(n.kit()).passed(ip, PostscreenTest.DNSBL), "a listed client is never remembered");
        }
    }
}
