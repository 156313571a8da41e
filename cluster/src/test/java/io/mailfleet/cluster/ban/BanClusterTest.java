package io.mailfleet.cluster.ban;

import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanException;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.BlockType;
import io.mailfleet.core.ban.FailureReport;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;
import io.mailfleet.persistence.journal.JournalSchema;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ban lists across two nodes in one JVM, across a restart of the whole cluster, and expiry. */
class BanClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path data;

    private static InetAddress ip(String s) {
        return IpNetwork.parse(s).address();
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> s) throws Exception {
        return s.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static BanException banFailure(java.util.concurrent.CompletionStage<?> s) {
        CompletionException e = assertThrows(CompletionException.class, () -> s.toCompletableFuture().join());
        return assertInstanceOf(BanException.class, e.getCause());
    }

    @Test
    void failuresOnOneNodeBanOnTheOtherAndBansSurviveRestart() throws Exception {
        BanPolicy policy = BanPolicy.defaults();
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterBanService onA = ClusterBanService.start(a.system(), policy);
            ClusterBanService onB = ClusterBanService.start(b.system(), policy);

            for (int i = 0; i < 10; i++) {
                onA.reportFailure("127.0.0.1", "smtp", "authentication failure");
            }
            for (int i = 0; i < 6; i++) {
                onA.reportFailure("192.0.2.10", i % 2 == 0 ? "imap" : "pop3", "authentication failure");
            }
            // Five failures in another jail of the same address: below the threshold there.
            for (int i = 0; i < 5; i++) {
                onA.reportFailure("192.0.2.11", "smtp", "authentication failure");
            }
            // Each node's cache follows the replicated map on its own schedule: wait for both.
            TestNodes.await(() -> onB.isBanned(ip("192.0.2.10")) && onA.isBanned(ip("192.0.2.10")), WAIT,
                    "nodes A and B drop 192.0.2.10 after 6 failures on A");
            assertFalse(onB.isBanned(ip("192.0.2.12")), "the neighbour in the same /24 is not banned");
            assertFalse(onA.isBanned(ip("127.0.0.1")), "loopback is never banned");
            List<Ban> bans = get(onB.bans());
            assertEquals(1, bans.size(), bans.toString());
            assertEquals(Jail.DOVECOT, bans.get(0).jail());
            assertEquals("192.0.2.10", bans.get(0).network());
            assertEquals(policy.banTime(), Duration.between(bans.get(0).since(), bans.get(0).until()));

            Ban manual = get(onB.ban("198.51.100.9/24"));
            assertEquals("198.51.100.0/24", manual.network());
            assertEquals(Jail.CUSTOM, manual.jail());
            assertEquals(Duration.ofDays(180), Duration.between(manual.since(), manual.until()));
            assertTrue(onB.isBanned(ip("198.51.100.77")), "the node that banned sees it at once");
            TestNodes.await(() -> onA.isBanned(ip("198.51.100.77")), WAIT, "CIDR ban replicated to A");
            assertEquals("already-banned", banFailure(onA.ban("198.51.100.0/24")).code());
            assertEquals("invalid-ip", banFailure(onA.ban("mail.example.com")).code());
            assertEquals("ignored", banFailure(onA.ban("127.0.0.5")).code());

            get(onA.ban("2001:db8:5::/48"));
            TestNodes.await(() -> onB.isBanned(ip("2001:db8:5:1::1")), WAIT, "IPv6 network ban replicated to B");
            assertFalse(onB.isBanned(ip("2001:db8:6::1")));

            get(onA.ban("203.0.113.5"));
            assertEquals(List.of(Jail.CUSTOM), get(onA.unban("198.51.100.0/24")));
            TestNodes.await(() -> !onB.isBanned(ip("198.51.100.77")), WAIT, "unban replicated to B");
            assertEquals(List.of(), get(onA.unban("198.51.100.0/24")), "unbanning again finds nothing");
            TestNodes.await(() -> onB.isBanned(ip("203.0.113.5")), WAIT, "single-address manual ban replicated");
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }

        ActorTestKit c = TestNodes.node(data);
        try {
            TestNodes.join(c.system(), c.system());
            TestNodes.awaitUp(c.system(), 1);
            ClusterBanService onC = ClusterBanService.start(c.system(), policy);
            assertFalse(onC.isBanned(ip("192.0.2.10")), "the replicated map starts empty after a full restart");
            int woken = get(BanWarmup.run(c.system(), onC));
            assertTrue(woken >= 4, "buckets woken: " + woken);
            TestNodes.await(() -> onC.isBanned(ip("192.0.2.10")) && onC.isBanned(ip("2001:db8:5:ffff::1"))
                    && onC.isBanned(ip("203.0.113.5")), WAIT, "bans recovered after restart");
            assertFalse(onC.isBanned(ip("198.51.100.77")), "the unban survived the restart too");
            assertEquals(List.of(Jail.DOVECOT), get(onC.unban("192.0.2.10")));
            assertFalse(onC.isBanned(ip("192.0.2.10")));
            // The window restarts after an unban: one more failure does not ban again.
            onC.reportFailure("192.0.2.10", "imap", "authentication failure");
            onC.reportFailure("192.0.2.11", "smtp", "authentication failure");
            TestNodes.await(() -> onC.isBanned(ip("192.0.2.11")), WAIT,
                    "the sixth smtp failure of 192.0.2.11, counted across the restart, bans it");
            assertEquals(Jail.POSTFIX_SASL, get(onC.bans()).stream()
                    .filter(x -> x.network().equals("192.0.2.11")).findFirst().orElseThrow().jail());
            assertFalse(onC.isBanned(ip("192.0.2.10")));
        } finally {
            c.shutdownTestKit();
        }
    }

    @Test
    void aBanIsOnEveryNodeWhenTheFailureThatCausedItIsConfirmedAndLaterFailuresStillCount() throws Exception {
        BanPolicy policy = new BanPolicy(3, Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofDays(1),
                List.of(), BlockType.DROP);
        ActorTestKit a = TestNodes.node(data);
        ActorTestKit b = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.join(b.system(), a.system());
            TestNodes.awaitUp(a.system(), 2);
            TestNodes.awaitUp(b.system(), 2);
            ClusterBanService onA = ClusterBanService.start(a.system(), policy);
            ClusterBanService onB = ClusterBanService.start(b.system(), policy);
            java.util.concurrent.atomic.AtomicInteger changesOnB = new java.util.concurrent.atomic.AtomicInteger();
            onB.onChange(changesOnB::incrementAndGet);

            assertEquals(new FailureReport(1, false), get(onA.reportFailure("192.0.2.50", "imap", "password mismatch")));
            assertEquals(new FailureReport(2, false), get(onA.reportFailure("192.0.2.50", "pop3", "password mismatch")));
            assertEquals(new FailureReport(3, true), get(onA.reportFailure("192.0.2.50", "imap", "password mismatch")),
                    "the third failure bans");
            // Confirmed means written to every node: node B's own replica has it at once.
            assertTrue(get(onB.isBannedNow(ip("192.0.2.50"))), "node B refuses the next guess");
            TestNodes.await(() -> onB.isBanned(ip("192.0.2.50")) && changesOnB.get() > 0, WAIT,
                    "node B's cache and its listeners follow");

            // Guesses that were under way, or reached a node whose copy lagged, are counted too.
            assertEquals(new FailureReport(1, true), get(onB.reportFailure("192.0.2.50", "imap", "login while banned")));
            assertEquals(new FailureReport(2, true), get(onA.reportFailure("192.0.2.50", "imap", "login while banned")));
            TestNodes.await(() -> onA.isBanned(ip("192.0.2.50")), WAIT, "node A's cache follows");
            Ban first = get(onA.bans()).get(0);
            Thread.sleep(20);
            assertEquals(new FailureReport(3, true), get(onB.reportFailure("192.0.2.50", "imap", "login while banned")),
                    "max-retry failures while banned renew the ban");
            TestNodes.await(() -> onA.bans().toCompletableFuture().join().get(0).until().isAfter(first.until()), WAIT,
                    "the renewed ban reaches node A's cache");
            assertEquals(1, get(onA.bans()).size(), "renewed, not added: " + get(onA.bans()));

            assertEquals(FailureReport.NOT_COUNTED, get(onA.reportFailure("127.0.0.1", "imap", "x")), "loopback is ignored");
            assertFalse(get(onA.isBannedNow(ip("192.0.2.51"))));
        } finally {
            b.shutdownTestKit();
            a.shutdownTestKit();
        }
    }

    @Test
    void bansExpire() throws Exception {
        BanPolicy shortBans = new BanPolicy(2, Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofSeconds(2),
                List.of(IpNetwork.parse("10.0.0.0/8")), BlockType.DROP);
        ActorTestKit a = TestNodes.node(data);
        try {
            JournalSchema.ensure(a.system()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestNodes.join(a.system(), a.system());
            TestNodes.awaitUp(a.system(), 1);
            ClusterBanService bans = ClusterBanService.start(a.system(), shortBans);
            bans.reportFailure("10.1.2.3", "smtp", "authentication failure");
            bans.reportFailure("10.1.2.3", "smtp", "authentication failure");
            bans.reportFailure("192.0.2.20", "managesieve", "authentication failure");
            bans.reportFailure("192.0.2.20", "managesieve", "authentication failure");
            get(bans.ban("198.51.100.1"));
            TestNodes.await(() -> bans.isBanned(ip("192.0.2.20")), WAIT, "banned after 2 failures");
            assertFalse(bans.isBanned(ip("10.1.2.3")), "configured ignore network");
            TestNodes.await(() -> !bans.isBanned(ip("192.0.2.20")) && !bans.isBanned(ip("198.51.100.1")), WAIT,
                    "automatic and manual bans expire");
            assertEquals(List.of(), get(bans.bans()));
            Ban again = get(bans.ban("198.51.100.1"));
            assertEquals("198.51.100.1", again.network(), "an expired ban can be set again");
        } finally {
            a.shutdownTestKit();
        }
    }
}
