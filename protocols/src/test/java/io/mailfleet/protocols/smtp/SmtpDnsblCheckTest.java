package io.mailfleet.protocols.smtp;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dnsbl.DnsblEvaluator;
import io.mailfleet.core.dnsbl.DnsblSites;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.dnsbl.DnsblCheck;
import io.mailfleet.protocols.smtp.dnsbl.DnsblSettings;
import io.mailfleet.protocols.smtp.postscreen.LocalPassCache;
import io.mailfleet.protocols.smtp.postscreen.PassCache;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DNSBL test on a real port-25 listener, with zones served by a real DNS server on loopback and
 * clients connecting from 127.0.0.x: a listed client meets POSTSCREEN_ACTION (enforce: 550 at RCPT;
 * drop: 521 at connect; ignore: accepted), allow-lists, time-outs and unlisted clients pass, a pass is
 * remembered and asks no DNS again, trusted networks and the submission port ask nothing.
 */
class SmtpDnsblCheckTest {

    private static final String SITES = "zen.test=127.0.0.[2..11]*3 bl.test allow.test=127.0.[0..255].1*-2";

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private TestDnsServer dns;
    private SmtpServer server;
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();

    @BeforeEach
    void zones() throws Exception {
        fx = new SmtpFixture(dir, false);
        dns = new TestDnsServer()
                .a("2.0.0.127.zen.test", "127.0.0.2")          // 127.0.0.2: listed, rank 3
                .a("3.0.0.127.bl.test", "127.0.0.2")           // 127.0.0.3: rank 1 - 2 = -1, allow-listed
                .a("3.0.0.127.allow.test", "127.0.7.1")
                .silent("4.0.0.127.zen.test")                  // 127.0.0.4: zen times out, bl lists it: rank 1
                .a("4.0.0.127.bl.test", "127.0.0.2")
                .a("5.0.0.127.zen.test", "127.255.255.254");   // 127.0.0.5: out-of-range answer
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        fx.close();
        dns.close();
    }

    private DnsblCheck start(PostscreenAction action, SmtpMode mode, PassCache passes, String... trusted) {
        return start(action, mode, passes, null, trusted);
    }

    /** With {@code greetWait} non-null, the pregreet test runs first and starts the look-ups when its wait does. */
    private DnsblCheck start(PostscreenAction action, SmtpMode mode, PassCache passes, Duration greetWait,
                             String... trusted) {
        AsyncDnsResolver resolver = new AsyncDnsResolver(dns.settings(Duration.ofMillis(800)).resolverSettings());
        List<Cidr> nets = List.of(trusted).stream().map(Cidr::parse).toList();
        DnsblCheck check = new DnsblCheck(new DnsblEvaluator(resolver, DnsblSites.parse(SITES)),
                new DnsblSettings(DnsblSites.parse(SITES), 3, action, Duration.ofHours(1)), passes, nets,
                reason -> refusals.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet());
        server = SmtpServer.start(SmtpFixture.custom(mode, SmtpSettings.DEFAULT_MESSAGE_SIZE, Duration.ofSeconds(300),
                        BareNewlinePolicy.REJECT, false, nets),
                new SmtpServices(TestCollaborators.directory(), TestCollaborators.authenticator(), fx.blobs, fx.queue,
                        TestCollaborators.usage(), fx.tls, AcceptGuard.none()).withChecks(SmtpChecks.NONE.withConnect(check)),
                0, io.mailfleet.protocols.auth.LoginPolicy.DEFAULTS, greetWait == null ? Postscreen.DISABLED
                        : new Postscreen(new PostscreenSettings(true, action, greetWait, Duration.ofHours(1)), passes,
                        io.mailfleet.protocols.smtp.check.RefusalCounter.NONE, check::prefetch));
        return check;
    }

    private Wire from(String ip) throws Exception {
        return Wire.from(Wire.Protocol.SMTP, ip, server.port());
    }

    private static void acceptedUpToRcpt(Wire c) throws Exception {
        c.expect("220 ");
        c.send("EHLO client.example.net").expect("250");
        c.send("MAIL FROM:<a@sender.example>").expect("250 2.1.0 Ok");
        c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
    }

    @Test
    void enforceLetsAListedClientTalkAndRefusesEveryRecipient() throws Exception {
        start(PostscreenAction.ENFORCE, SmtpMode.MX, new LocalPassCache(100));
        try (Wire c = from("127.0.0.2")) {
            c.expect("220 ");
            c.send("EHLO bot.example.net").expect("250");
            c.send("MAIL FROM:<a@sender.example>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>")
                    .expect("550 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test");
            c.send("RCPT TO:<bob@example.com>").expect("550 5.7.1 Service unavailable;");
            c.send("DATA").expect("554 ");
        }
        assertTrue(fx.queue.entries.isEmpty());
        assertEquals(1, refusals.get("dnsbl").get());
    }

    @Test
    void dropClosesAListedClientWith521AtConnect() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100));
        try (Wire c = from("127.0.0.2")) {
            assertEquals("521 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test", c.line());
            assertNull(c.lineOrNull());
        }
        assertEquals(1, refusals.get("dnsbl").get());
    }

    @Test
    void ignoreOnlyLogs() throws Exception {
        start(PostscreenAction.IGNORE, SmtpMode.MX, new LocalPassCache(100));
        try (Wire c = from("127.0.0.2")) {
            acceptedUpToRcpt(c);
        }
        assertNull(refusals.get("dnsbl"));
    }

    @Test
    void allowListedUnderThresholdTimedOutAndOutOfRangeClientsPass() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100));
        for (String ip : List.of("127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6")) {
            try (Wire c = from(ip)) {
                acceptedUpToRcpt(c);
            }
        }
        assertNull(refusals.get("dnsbl"));
    }

    @Test
    void aCleanPassIsRememberedAndAListedClientUnderTheThresholdIsNot() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100));
        try (Wire c = from("127.0.0.3")) {
            acceptedUpToRcpt(c);
        }
        int asked = dns.queries.get();
        try (Wire c = from("127.0.0.3")) {
            acceptedUpToRcpt(c);
        }
        assertEquals(asked, dns.queries.get(), "an allow-listed pass is remembered: no DNS question");
        try (Wire c = from("127.0.0.4")) {
            acceptedUpToRcpt(c);
        }
        int afterListed = dns.queries.get();
        assertTrue(afterListed > asked);
        try (Wire c = from("127.0.0.4")) {
            acceptedUpToRcpt(c);
        }
        assertTrue(dns.queries.get() > afterListed, "rank 1 is listed: looked up again so greylisting knows");
    }

    @Test
    void theLookUpsStartWhileThePregreetTestHoldsTheBannerBack() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100), Duration.ofSeconds(30));
        try (Wire c = from("127.0.0.2")) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            for (int i = 0; i < 200 && dns.queries.get() == 0; i++) {
                Thread.sleep(50);
            }
            assertTrue(dns.queries.get() > 0, "asked during the 30 s greet wait, not after it");
        }
    }

    @Test
    void afterThePregreetWaitAListedClientIsDropped() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100), Duration.ofMillis(300));
        try (Wire c = from("127.0.0.2")) {
            assertEquals("220-" + SmtpFixture.HOST + " ESMTP", c.line());
            assertEquals("521 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test", c.line());
            assertNull(c.lineOrNull());
        }
        try (Wire c = from("127.0.0.2")) {
            assertEquals("521 5.7.1 Service unavailable; client [127.0.0.2] blocked using zen.test", c.line(),
                    "its pregreet pass is remembered, the listing is not");
        }
    }

    @Test
    void trustedNetworksAndSubmissionAskNothing() throws Exception {
        start(PostscreenAction.DROP, SmtpMode.MX, new LocalPassCache(100), "127.0.0.2/32");
        try (Wire c = from("127.0.0.2")) {
            acceptedUpToRcpt(c);
        }
        server.close();
        start(PostscreenAction.DROP, SmtpMode.SUBMISSION, new LocalPassCache(100));
        try (Wire c = from("127.0.0.2")) {
            c.expect("220 ");
        }
        assertEquals(0, dns.queries.get());
    }
}
