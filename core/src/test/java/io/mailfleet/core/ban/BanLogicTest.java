package io.mailfleet.core.ban;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BanLogicTest {

    private static final long WEEK = Duration.ofDays(7).toMillis();

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void sixFailuresWithinTheWindowReachTheThreshold() {
        FailureWindow w = FailureWindow.empty();
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 5; i++) {
            w = w.record(t0 + i * 1000L, WEEK, 6);
            assertFalse(w.reached(t0 + i * 1000L, WEEK, 6), "after " + (i + 1));
        }
        w = w.record(t0 + 5000, WEEK, 6);
        assertTrue(w.reached(t0 + 5000, WEEK, 6));
    }

    @Test
    void failuresOlderThanTheWindowDoNotCount() {
        long t0 = 1_000_000_000L;
        FailureWindow w = FailureWindow.empty();
        for (int i = 0; i < 5; i++) {
            w = w.record(t0 + i, WEEK, 6);
        }
        // The sixth failure comes a week and a bit after the first five: they have left the window.
        long late = t0 + WEEK + 10;
        w = w.record(late, WEEK, 6);
        assertEquals(1, w.countAt(late, WEEK));
        assertFalse(w.reached(late, WEEK, 6));
        assertEquals(1, w.times().size(), "old failures are dropped");
        // Exactly at the edge: a failure findtime old no longer counts.
        FailureWindow edge = FailureWindow.empty().record(0, 100, 6);
        assertEquals(1, edge.countAt(99, 100));
        assertEquals(0, edge.countAt(100, 100));
    }

    @Test
    void windowKeepsAtMostMaxRetryTimes() {
        FailureWindow w = FailureWindow.empty();
        for (int i = 0; i < 50; i++) {
            w = w.record(i, WEEK, 6);
        }
        assertEquals(6, w.times().size());
        assertEquals(44L, w.times().get(0));
    }

    @Test
    void loopbackAndConfiguredNetworksAreIgnored() throws Exception {
        BanPolicy p = new BanPolicy(6, Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(180),
                List.of(IpNetwork.parse("192.168.0.0/16"), IpNetwork.parse("fd00::/8")), BlockType.DROP);
        assertTrue(p.isIgnored(ip("127.0.0.1")));
        assertTrue(p.isIgnored(ip("127.255.1.2")));
        assertTrue(p.isIgnored(ip("::1")));
        assertTrue(p.isIgnored(ip("192.168.40.1")));
        assertTrue(p.isIgnored(ip("fd12:3456::1")));
        assertFalse(p.isIgnored(ip("192.0.2.1")));
        assertFalse(p.isIgnored(ip("2001:db8::1")));
        assertTrue(p.isInsideIgnored(IpNetwork.parse("192.168.1.0/24")));
        assertFalse(p.isInsideIgnored(IpNetwork.parse("192.0.0.0/8")));
        assertTrue(BanPolicy.defaults().isIgnored(ip("127.0.0.1")));
        assertEquals(6, BanPolicy.defaults().maxRetry());
        assertEquals(Duration.ofDays(180), BanPolicy.defaults().manualBanTime());
    }

    @Test
    void policyRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new BanPolicy(0, Duration.ofDays(1), Duration.ofDays(1),
                Duration.ofDays(1), List.of(), BlockType.DROP));
        assertThrows(IllegalArgumentException.class, () -> new BanPolicy(3, Duration.ZERO, Duration.ofDays(1),
                Duration.ofDays(1), List.of(), BlockType.DROP));
        assertThrows(IllegalArgumentException.class, () -> BlockType.parse("tarpit"));
        assertEquals(BlockType.REJECT, BlockType.parse(" Reject "));
    }

    @Test
    void jailsFollowDockerMailserver() {
        assertEquals("postfix-sasl", Jail.forProtocol("smtp").jailName());
        assertEquals("dovecot", Jail.forProtocol("IMAP").jailName());
        assertEquals("dovecot", Jail.forProtocol("pop3").jailName());
        assertEquals("dovecot", Jail.forProtocol("managesieve").jailName());
        assertEquals("dovecot", Jail.forProtocol("web").jailName(), "the web UI login counts like a mail login");
        assertEquals("postfix", Jail.forProtocol("smtp-protocol").jailName());
        assertThrows(IllegalArgumentException.class, () -> Jail.forProtocol("gopher"));
        assertEquals(Jail.POSTFIX_SASL, Jail.byName("postfix-sasl"));
    }

    @Test
    void indexMatchesAddressesAndNetworksOfBothFamilies() throws Exception {
        Instant now = Instant.ofEpochMilli(5_000_000);
        Instant later = now.plusSeconds(3600);
        BanIndex idx = BanIndex.of(List.of(
                new Ban("192.0.2.7", Jail.DOVECOT, now, later, "x"),
                new Ban("198.51.100.0/24", Jail.CUSTOM, now, later, "manual"),
                new Ban("2001:db8:1::/48", Jail.CUSTOM, now, later, "manual"),
                new Ban("2001:db8:9::5", Jail.POSTFIX_SASL, now, later, "x"),
                new Ban("203.0.113.9", Jail.DOVECOT, now.minusSeconds(7200), now.minusSeconds(1), "expired")));
        long t = now.toEpochMilli();
        assertTrue(idx.isBanned(ip("192.0.2.7"), t));
        assertFalse(idx.isBanned(ip("192.0.2.8"), t));
        assertTrue(idx.isBanned(ip("198.51.100.200"), t));
        assertFalse(idx.isBanned(ip("198.51.101.1"), t));
        assertTrue(idx.isBanned(ip("2001:db8:1:ffff::1"), t));
        assertFalse(idx.isBanned(ip("2001:db8:2::1"), t));
        assertTrue(idx.isBanned(ip("2001:db8:9::5"), t));
        assertFalse(idx.isBanned(ip("2001:db8:9::6"), t));
        assertFalse(idx.isBanned(ip("203.0.113.9"), t), "expired bans do not apply");
        assertFalse(idx.isBanned(ip("192.0.2.7"), later.toEpochMilli()), "a ban ends at its expiry");
        assertFalse(BanIndex.empty().isBanned(ip("192.0.2.7"), t));
    }

    @Test
    void theIndexAndTheBanListAgreeOnTheMillisecondOfExpiry() throws Exception {
        Instant until = Instant.ofEpochSecond(1_000, 885_335_523); // sub-millisecond, as Instant.now() gives
        Ban ban = new Ban("192.0.2.20", Jail.DOVECOT, until.minusSeconds(2), until, "x");
        BanIndex idx = BanIndex.of(List.of(ban));
        long sameMilli = until.toEpochMilli();
        // within the expiry's millisecond the ban is still active for the list, so for the index too
        assertTrue(ban.activeAt(Instant.ofEpochMilli(sameMilli)));
        assertTrue(idx.isBanned(ip("192.0.2.20"), sameMilli));
        assertFalse(ban.activeAt(Instant.ofEpochMilli(sameMilli + 1)));
        assertFalse(idx.isBanned(ip("192.0.2.20"), sameMilli + 1));
    }
}
