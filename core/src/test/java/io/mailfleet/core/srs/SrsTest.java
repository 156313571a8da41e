package io.mailfleet.core.srs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Vectors were produced by the real postsrsd 1.10 (Debian package) running with secret file lines
 * "tops3cr3t", "old-secret", domain fwd.example.net, -X excluded.org, at unix time 1795257507 (day stamp JK).
 */
class SrsTest {
    private static final Instant WHEN = Instant.ofEpochSecond(1795257507L);
    private static final String DOMAIN = "fwd.example.net";

    private static Srs srsAt(Instant now) {
        return new Srs(List.of("tops3cr3t", "old-secret"), Set.of("excluded.org"), Srs.DEFAULT_MAX_AGE_DAYS,
                Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void forwardMatchesPostsrsd() {
        Srs srs = srsAt(WHEN);
        assertEquals("SRS0=M5Wq=JK=example.com=alice@fwd.example.net", srs.forward("alice@example.com", DOMAIN));
        assertEquals("SRS0=avXo=JK=Example.COM=Alice.Smith@fwd.example.net", srs.forward("Alice.Smith@Example.COM", DOMAIN));
        assertEquals("SRS0=GGfI=JK=sub.example.com=weird+tag=x@fwd.example.net", srs.forward("weird+tag=x@sub.example.com", DOMAIN));
    }

    @Test
    void srs0AndSrs1BecomeSrs1LikePostsrsd() {
        Srs srs = srsAt(WHEN);
        assertEquals("SRS1=T2Db=fwd1.com==abcd=XY=orig.com=joe@fwd.example.net",
                srs.forward("SRS0=abcd=XY=orig.com=joe@fwd1.com", DOMAIN));
        assertEquals("SRS1=T2Db=fwd1.com==abcd=XY=orig.com=joe@fwd.example.net",
                srs.forward("SRS1=ZZZZ=fwd1.com==abcd=XY=orig.com=joe@fwd2.com", DOMAIN));
    }

    @Test
    void excludedLocalNullAndDomainlessSendersAreKept() {
        Srs srs = srsAt(WHEN);
        assertEquals("bob@excluded.org", srs.forward("bob@excluded.org", DOMAIN));
        assertEquals("bob@EXCLUDED.org", srs.forward("bob@EXCLUDED.org", DOMAIN));
        assertEquals("user@fwd.example.net", srs.forward("user@fwd.example.net", DOMAIN));
        assertEquals("", srs.forward("", DOMAIN));
        assertEquals("postmaster", srs.forward("postmaster", DOMAIN));
        Srs sub = new Srs(List.of("s"), Set.of(".corp.example"), 21, Clock.fixed(WHEN, ZoneOffset.UTC));
        assertEquals("a@eu.corp.example", sub.forward("a@eu.corp.example", DOMAIN));
        assertTrue(sub.forward("a@corp.example.org", DOMAIN).startsWith("SRS0="));
    }

    @Test
    void reverseMatchesPostsrsdIncludingCaseInsensitiveHash() throws SrsException {
        Srs srs = srsAt(WHEN);
        assertEquals("alice@example.com", srs.reverse("SRS0=M5Wq=JK=example.com=alice@fwd.example.net"));
        assertEquals("alice@example.com", srs.reverse("srs0=m5wq=jk=example.com=alice@fwd.example.net"));
        assertEquals("weird+tag=x@sub.example.com", srs.reverse("SRS0=GGfI=JK=sub.example.com=weird+tag=x@fwd.example.net"));
        assertEquals("SRS0=abcd=XY=orig.com=joe@fwd1.com", srs.reverse("SRS1=T2Db=fwd1.com==abcd=XY=orig.com=joe@fwd.example.net"));
    }

    @Test
    void secondSecretVerifiesButDoesNotSign() throws SrsException {
        Srs srs = srsAt(WHEN);
        // signed by postsrsd configured with only "old-secret"
        assertEquals("carol@example.org", srs.reverse("SRS0=gdeV=JK=example.org=carol@fwd.example.net"));
        assertFalse(srs.forward("carol@example.org", DOMAIN).contains("gdeV"));
        Srs withoutOld = new Srs(List.of("tops3cr3t"), Set.of(), 21, Clock.fixed(WHEN, ZoneOffset.UTC));
        assertThrows(SrsException.class, () -> withoutOld.reverse("SRS0=gdeV=JK=example.org=carol@fwd.example.net"));
    }

    @Test
    void badHashIsRejected() {
        SrsException e = assertThrows(SrsException.class,
                () -> srsAt(WHEN).reverse("SRS0=M5Wr=JK=example.com=alice@fwd.example.net"));
        assertTrue(e.getMessage().contains("hash"), e.getMessage());
    }

    @Test
    void timestampAgeLimitIs21Days() throws SrsException {
        String addr = "SRS0=M5Wq=JK=example.com=alice@fwd.example.net";
        assertEquals("alice@example.com", srsAt(WHEN.plus(Duration.ofDays(21))).reverse(addr));
        SrsException e = assertThrows(SrsException.class, () -> srsAt(WHEN.plus(Duration.ofDays(22))).reverse(addr));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertThrows(SrsException.class, () -> srsAt(WHEN).reverse("SRS0=M5Wq=AA=example.com=alice@fwd.example.net"));
    }

    @Test
    void timestampWrapsAroundTheTenBitCycle() throws SrsException {
        Instant lateInCycle = Instant.ofEpochSecond(1023L * 86_400 + 100);
        Srs signer = srsAt(lateInCycle);
        String addr = signer.forward("x@y.org", DOMAIN);
        assertTrue(addr.startsWith("SRS0=") && addr.contains("=77=y.org=x@"), addr);
        assertEquals("x@y.org", srsAt(lateInCycle.plus(Duration.ofDays(5))).reverse(addr));
    }

    @Test
    void roundTripAndMalformedInputGiveClearErrors() throws SrsException {
        Srs srs = srsAt(WHEN);
        assertEquals("a.b-c@d.example", srs.reverse(srs.forward("a.b-c@d.example", DOMAIN)));
        assertTrue(Srs.isSrs("SRS0=x=y=z=w@d"));
        assertFalse(Srs.isSrs("alice@example.com"));
        assertThrows(SrsException.class, () -> srs.reverse("alice@example.com"));
        assertThrows(SrsException.class, () -> srs.reverse("SRS0=M5Wq@fwd.example.net"));
        assertThrows(SrsException.class, () -> srs.reverse("SRS0=M5Wq=JK=example.com=@fwd.example.net"));
        assertThrows(SrsException.class, () -> srs.reverse("SRS0=M5Wq=J!=example.com=alice@fwd.example.net"));
        assertThrows(SrsException.class, () -> srs.reverse(""));
        assertThrows(IllegalArgumentException.class, () -> Srs.fromEnvironment(" , ", "", Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> srs.forward("a@b.c", ""));
    }

    @Test
    void fromEnvironmentSplitsCommaLists() throws SrsException {
        Srs srs = Srs.fromEnvironment("tops3cr3t, old-secret", "excluded.org,other.org", Clock.fixed(WHEN, ZoneOffset.UTC));
        assertEquals("SRS0=M5Wq=JK=example.com=alice@fwd.example.net", srs.forward("alice@example.com", DOMAIN));
        assertEquals("carol@example.org", srs.reverse("SRS0=gdeV=JK=example.org=carol@fwd.example.net"));
        assertEquals("z@other.org", srs.forward("z@other.org", DOMAIN));
    }
}
