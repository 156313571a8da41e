package io.mailfleet.server.defence;

import io.mailfleet.cluster.greylist.ClusterGreylist;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.greylist.GreylistDecision;
import io.mailfleet.core.greylist.GreylistPolicy;
import io.mailfleet.core.greylist.GreylistWhitelist;
import io.mailfleet.core.greylist.Triplet;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.greylist.GreylistCheck;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Greylisting on two cluster nodes in one JVM, each with a real port-25 listener behind the PROXY
 * protocol (so one machine can play clients from several networks): the first attempt is deferred
 * with 451 4.7.1, the retry after the delay passes on the other node, a client network is
 * auto-whitelisted after its passed retries, trusted networks and the whitelist files bypass, and what
 * was decided survives a restart of the cluster on the same storage.
 */
class GreylistClusterTest {

    private static final String TEXT = "Delayed by Postgrey";
    private static final String DEFERRED = "451 4.7.1 " + TEXT;
    /** Long enough that the immediate retries of the test come before it on a slow shared machine. */
    private static final Duration DELAY = Duration.ofSeconds(6);
    /** Longer than the test: only the stop of an entity writes its decisions. */
    private static final GreylistPolicy POLICY = new GreylistPolicy(DELAY, Duration.ofDays(35), 2, Duration.ofMinutes(10));

    @TempDir
    Path data;

    private SmtpClusterFixture fx;

    @BeforeEach
    void setUp() throws Exception {
        fx = new SmtpClusterFixture(data);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    /** Two nodes whose port-25 listeners greylist with {@code whitelist}. */
    private List<SmtpClusterFixture.Node> cluster(GreylistWhitelist whitelist) throws Exception {
        return fx.cluster(2, SmtpMode.MX, kit -> SmtpChecks.NONE.withRcpt(
                new GreylistCheck(ClusterGreylist.start(kit.system(), POLICY), whitelist, TEXT)));
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }

    @Test
    void firstAttemptDeferredRetryPassesOnTheOtherNodeAndTheClientIsWhitelistedAfterTwoPasses() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster(GreylistWhitelist.NONE);
        int a = nodes.get(0).port();
        int b = nodes.get(1).port();

        assertEquals(DEFERRED, RawSmtp.rcpt(a, "198.51.100.7", "news@sender.example", "alice@example.com"));
        assertEquals(DEFERRED, RawSmtp.rcpt(b, "198.51.100.7", "news@sender.example", "alice@example.com"),
                "a retry before the delay is deferred on the other node too");
        assertEquals(DEFERRED, RawSmtp.rcpt(b, "198.51.100.8", "other@sender.example", "alice@example.com"),
                "another triplet of the same /24");
        assertEquals(DEFERRED, RawSmtp.rcpt(a, "2001:db8:1:2::10", "news@sender.example", "alice@example.com"),
                "IPv6 clients too");
        sleep(DELAY.plusSeconds(1));
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(b, "198.51.100.7", "news@sender.example", "alice@example.com"),
                "the retry after the delay passes on the other node");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "198.51.100.7", "news@sender.example", "alice@example.com"),
                "and keeps passing on every node");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "2001:db8:1:2::99", "news@sender.example", "alice@example.com"),
                "another address of the same /64 is the same client");
        assertEquals(DEFERRED, RawSmtp.rcpt(a, "198.51.100.9", "fresh@sender.example", "bob@example.com"),
                "one passed retry does not whitelist the client yet");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "198.51.100.8", "other@sender.example", "alice@example.com"),
                "the second passed retry");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(b, "198.51.100.200", "brand-new@sender.example", "bob@example.com"),
                "after two passed retries the client network is whitelisted");
        assertEquals(DEFERRED, RawSmtp.rcpt(b, "192.0.2.7", "brand-new@sender.example", "bob@example.com"),
                "another network is not");
    }

    @Test
    void trustedNetworksAndWhitelistedClientsAndRecipientsAreNotGreylisted() throws Exception {
        GreylistWhitelist whitelist = GreylistWhitelist.parse(List.of("# partner", "203.0.113.0/24", "mx.partner.example"),
                List.of("alice@", "bob@example.com"));
        List<SmtpClusterFixture.Node> nodes = cluster(whitelist);
        int a = nodes.get(0).port();
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "198.18.0.5", "app@internal.example", "carol@example.com"),
                "a trusted network");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "203.0.113.40", "x@partner.example", "carol@example.com"),
                "a whitelisted client network");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "192.0.2.7", "x@anywhere.example", "alice@example.com"),
                "a whitelisted recipient local part");
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "192.0.2.7", "x@anywhere.example", "bob@example.com"),
                "a whitelisted recipient address");
        assertEquals(DEFERRED, RawSmtp.rcpt(a, "192.0.2.7", "x@anywhere.example", "carol@example.com"),
                "everyone else is greylisted");
        assertEquals(List.of("mx.partner.example"), whitelist.skippedClientEntries());
    }

    @Test
    void decisionsSurviveARestartOfTheClusterOnTheSameStorage() throws Exception {
        List<SmtpClusterFixture.Node> nodes = cluster(GreylistWhitelist.NONE);
        int a = nodes.get(0).port();
        assertEquals(DEFERRED, RawSmtp.rcpt(a, "198.51.100.7", "news@sender.example", "alice@example.com"));
        assertEquals(DEFERRED, RawSmtp.rcpt(a, "192.0.2.7", "late@sender.example", "alice@example.com"));
        sleep(DELAY.plusSeconds(1));
        assertEquals("250 2.1.5 Ok", RawSmtp.rcpt(a, "198.51.100.7", "news@sender.example", "alice@example.com"));
        // Stop everything: node B first (its entities hand over to A), then A, whose entities write on stop.
        fx.stopAll();

        ActorTestKit c = fx.kit();
        TestNodes.join(c.system(), c.system());
        TestNodes.awaitUp(c.system(), 1);
        ClusterGreylist greylist = ClusterGreylist.start(c.system(), POLICY);
        GreylistDecision passed = greylist.decide(Triplet.of(InetAddress.getByName("198.51.100.7"),
                "news@sender.example", "alice@example.com")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(GreylistDecision.Outcome.KNOWN, passed.outcome(), "a passed triplet still passes");
        GreylistDecision waiting = greylist.decide(Triplet.of(InetAddress.getByName("192.0.2.7"),
                "late@sender.example", "alice@example.com")).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(GreylistDecision.Outcome.PASSED_RETRY, waiting.outcome(),
                "a first attempt recorded before the restart counts: its retry passes");
    }
}
