package io.mailfleet.protocols.smtp.policy;

import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.ResolverOptions;
import io.mailfleet.core.srs.Srs;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RCPT decisions for bounces to SRS addresses: accepted only when ours and verifiable. */
class SrsBouncePolicyTest {

    private static final ResolverOptions OPTIONS = new ResolverOptions("+", "postmaster@example.com",
            ResolverOptions.DEFAULT_MAX_DEPTH);
    private final Srs srs = new Srs(List.of("s3cret"), Set.of(), Srs.DEFAULT_MAX_AGE_DAYS, Clock.systemUTC());
    private final DirectoryView view = DirectoryView.of(List.of(new DomainDirectory("example.com",
            Map.of("alice@example.com", new Account("alice@example.com", "{PLAIN}x")),
            Map.of(), Map.of(), Set.of(), Set.of())), List.of());

    private SmtpPolicy policy(SrsBounces bounces) {
        return new SmtpPolicy(OPTIONS, false, false, 0, account -> 0L, bounces);
    }

    @Test
    void aVerifiedBounceToOurSrsAddressIsAcceptedWithoutLocalMailbox() {
        String address = srs.forward("someone@far.example", "example.com");
        assertTrue(address.startsWith("SRS0="), address);
        PolicyDecision d = policy(new SrsBounces(srs, "example.com")).checkRecipient(view, address, false);
        assertTrue(d.accepted(), d.toString());
        assertEquals(250, d.reply().code());
        assertTrue(d.localAccounts().isEmpty(), d.toString());
        assertTrue(d.reason().contains("someone@far.example"), d.reason());
    }

    @Test
    void aForgedOrForeignSrsAddressIsRefused() {
        String address = srs.forward("someone@far.example", "example.com");
        String forged = address.replaceFirst("SRS0=[^=]+=", "SRS0=AAAA=");
        PolicyDecision bad = policy(new SrsBounces(srs, "example.com")).checkRecipient(view, forged, false);
        assertFalse(bad.accepted());
        assertEquals(550, bad.reply().code());
        assertTrue(bad.reason().startsWith("invalid SRS"), bad.reason());

        Srs other = new Srs(List.of("other-secret"), Set.of(), Srs.DEFAULT_MAX_AGE_DAYS, Clock.systemUTC());
        assertFalse(policy(new SrsBounces(srs, "example.com"))
                .checkRecipient(view, other.forward("x@far.example", "example.com"), false).accepted());
        // SRS in a domain that is not our SRS domain: an ordinary relay decision.
        PolicyDecision foreign = policy(new SrsBounces(srs, "example.com"))
                .checkRecipient(view, srs.forward("x@far.example", "elsewhere.example"), false);
        assertEquals(554, foreign.reply().code());
    }

    @Test
    void anExpiredSrsAddressIsRefusedAndSrsOffKeepsTheDirectoryAnswer() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(40)), ZoneOffset.UTC);
        String old = new Srs(List.of("s3cret"), Set.of(), Srs.DEFAULT_MAX_AGE_DAYS, past).forward("x@far.example", "example.com");
        assertFalse(policy(new SrsBounces(srs, "example.com")).checkRecipient(view, old, false).accepted());

        String address = srs.forward("someone@far.example", "example.com");
        PolicyDecision off = policy(SrsBounces.disabled()).checkRecipient(view, address, false);
        assertEquals(550, off.reply().code());
        assertTrue(policy(SrsBounces.disabled()).checkRecipient(view, "alice@example.com", false).accepted());
    }
}
