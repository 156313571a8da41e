package io.mailfleet.server.defence;

import io.mailfleet.cluster.ratelimit.ClusterRateLimiter;
import io.mailfleet.core.ratelimit.RateLimit;
import io.mailfleet.core.ratelimit.RateLimiter;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.ratelimit.RateLimitChecks;
import io.mailfleet.protocols.smtp.ratelimit.SmtpRateLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits on two cluster nodes in one JVM with real SMTP listeners: a client that spreads its
 * connections or recipients over both nodes meets one limit; IPv6 clients count per /64; trusted
 * networks are exempt; an account's message budget on submission holds across nodes; the operator
 * lists who is limited and resets a key.
 */
class RateLimitClusterTest {

    private static final List<Cidr> TRUSTED = List.of(Cidr.parse("198.18.0.0/15"));

    @TempDir
    Path data;

    private SmtpClusterFixture fx;
    private final List<RateLimiter> limiters = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        fx = new SmtpClusterFixture(data);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private List<SmtpClusterFixture.Node> cluster(SmtpMode mode, SmtpRateLimits limits) throws Exception {
        return fx.cluster(2, mode, kit -> {
            ClusterRateLimiter limiter = ClusterRateLimiter.start(kit.system());
            limiters.add(limiter);
            return new RateLimitChecks(limiter, limits, TRUSTED, "mail.example.com")
                    .addTo(SmtpChecks.NONE, mode == SmtpMode.MX);
        });
    }

    private static Optional<RateLimit> perMinute(String name, long max) {
        return Optional.of(new RateLimit(name, Duration.ofMinutes(1), max));
    }

    /** The banner a client at {@code ip} gets. */
    private static String banner(int port, String ip) throws IOException {
        try (RawSmtp c = new RawSmtp(port, ip)) {
            return c.reply();
        }
    }

    @Test
    void connectionsOfOneClientOverBothNodesMeetOneLimitAndTheOperatorResetsIt() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster(SmtpMode.MX, new SmtpRateLimits(perMinute("client-connections", 3),
                Optional.empty(), Optional.empty(), List.of(), List.of()));
        int a = nodes.get(0).port();
        int b = nodes.get(1).port();
        assertTrue(banner(a, "192.0.2.7").startsWith("220 "));
        assertTrue(banner(b, "192.0.2.7").startsWith("220 "));
        assertTrue(banner(a, "192.0.2.7").startsWith("220 "));
        try (RawSmtp c = new RawSmtp(b, "192.0.2.7")) {
            assertEquals("421 4.7.0 mail.example.com Error: too many connections from 192.0.2.7", c.reply(),
                    "the 4th connection in a minute, on the other node");
            assertThrows(IOException.class, c::reply, "and the connection is closed");
        }
        assertTrue(banner(b, "192.0.2.8").startsWith("220 "), "another IPv4 address has its own count");
        for (int i = 0; i < 5; i++) {
            assertTrue(banner(i % 2 == 0 ? a : b, "198.18.0.9").startsWith("220 "), "a trusted network is exempt");
        }
        for (int i = 1; i <= 3; i++) {
            assertTrue(banner(i % 2 == 0 ? a : b, "2001:db8:5::" + i).startsWith("220 "));
        }
        assertTrue(banner(a, "2001:db8:5::99").startsWith("421 4.7.0 "), "one /64 is one IPv6 client");

        RateLimiter operator = limiters.get(1);
        List<RateLimiter.Limited> limited = operator.limited().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertEquals(List.of("192.0.2.7 client-connections", "2001:db8:5::/64 client-connections"),
                limited.stream().map(l -> l.key() + " " + l.limit()).toList());
        assertEquals(1, operator.reset("192.0.2.7").toCompletableFuture().get(20, TimeUnit.SECONDS));
        assertTrue(banner(a, "192.0.2.7").startsWith("220 "), "a reset key may connect again");
    }

    @Test
    void recipientsOfOneClientOverBothNodesMeetOneLimit() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster(SmtpMode.MX, new SmtpRateLimits(Optional.empty(),
                Optional.empty(), perMinute("client-recipients", 3), List.of(), List.of()));
        try (RawSmtp c = new RawSmtp(nodes.get(0).port(), "203.0.113.5")) {
            c.reply();
            c.command("EHLO client.example.org");
            assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<x@sender.example>"));
            assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<alice@example.com>"));
            assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<bob@example.com>"));
        }
        try (RawSmtp c = new RawSmtp(nodes.get(1).port(), "203.0.113.5")) {
            c.reply();
            c.command("EHLO client.example.org");
            assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<x@sender.example>"));
            assertEquals("250 2.1.5 Ok", c.command("RCPT TO:<carol@example.com>"));
            assertEquals("452 4.5.3 Error: too many recipients from 203.0.113.5", c.command("RCPT TO:<alice@example.com>"));
        }
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(nodes.get(1).port(), "198.18.0.9", "app@internal.example",
                "alice@example.com"), "a trusted network is exempt");
    }

    @Test
    void anAccountsMessageBudgetOnSubmissionHoldsAcrossNodes() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster(SmtpMode.SUBMISSION, new SmtpRateLimits(Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(new RateLimit("user-messages-hour", Duration.ofHours(1), 2)),
                List.of()));
        String plain = Base64.getEncoder().encodeToString(("\0alice@example.com\0" + SmtpClusterFixture.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        try (RawSmtp c = new RawSmtp(nodes.get(0).port(), "192.0.2.50")) {
            c.reply();
            c.command("EHLO laptop.example.org");
            assertTrue(c.command("AUTH PLAIN " + plain).startsWith("235 "));
            assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<alice@example.com>"));
            c.command("RSET");
            assertEquals("250 2.1.0 Ok", c.command("MAIL FROM:<alice@example.com>"));
        }
        try (RawSmtp c = new RawSmtp(nodes.get(1).port(), "192.0.2.51")) {
            c.reply();
            c.command("EHLO phone.example.org");
            assertTrue(c.command("AUTH PLAIN " + plain).startsWith("235 "));
            assertEquals("450 4.7.1 Error: too much mail from alice@example.com", c.command("MAIL FROM:<alice@example.com>"),
                    "the third message in the hour, from another address on the other node");
        }
    }
}
