package io.mailfleet.core.greylist;

import io.mailfleet.core.dkim.DkimResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which envelope senders a known-good domain covers at RCPT, and which DKIM results vouch for them. */
class KnownGoodSendersTest {

    private final KnownGoodSenders list = KnownGoodSenders.of(List.of("Bank.Example.", "shop.example"));

    private static DkimResult dkim(String domain, DkimResult.Status status) {
        return new DkimResult(domain, "s", status, "test");
    }

    @Test
    void aListedDomainCoversItselfAndItsSubdomainsOnly() {
        assertEquals(List.of("bank.example", "shop.example"), list.domains());
        assertEquals(Optional.of("bank.example"), list.covering("alerts@bank.example"));
        assertEquals(Optional.of("bank.example"), list.covering("x@mail.BANK.example"));
        assertEquals(Optional.empty(), list.covering("x@evilbank.example"));
        assertEquals(Optional.empty(), list.covering("x@bank.example.evil"));
        assertEquals(Optional.empty(), list.covering(""), "the null sender");
        assertEquals(Optional.empty(), list.covering("no-domain@"));
        assertTrue(KnownGoodSenders.NONE.covering("x@bank.example").isEmpty());
    }

    @Test
    void aPassingSignatureOfTheSendersDomainOrAListedParentVouches() {
        assertEquals(Optional.of("bank.example"),
                list.vouching("x@bank.example", List.of(dkim("bank.example", DkimResult.Status.PASS))));
        assertEquals(Optional.of("bank.example"),
                list.vouching("x@mail.bank.example", List.of(dkim("other.example", DkimResult.Status.PASS),
                        dkim("bank.example", DkimResult.Status.PASS))), "a parent's signature");
        assertEquals(Optional.empty(),
                list.vouching("x@bank.example", List.of(dkim("bank.example", DkimResult.Status.FAIL))), "failing");
        assertEquals(Optional.empty(),
                list.vouching("x@bank.example", List.of(dkim("shop.example", DkimResult.Status.PASS))),
                "another listed domain's signature does not vouch for this sender");
        assertEquals(Optional.empty(),
                list.vouching("x@bank.example", List.of(dkim("mail.bank.example", DkimResult.Status.PASS))),
                "a subdomain's signature does not vouch for its parent");
        assertEquals(Optional.empty(), list.vouching("x@bank.example", List.of()), "unsigned");
        assertEquals(Optional.empty(), list.vouching("x@bank.example", List.of(dkim(null, DkimResult.Status.PASS))));
    }

    @Test
    void anEntryThatIsNotADomainIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KnownGoodSenders.of(List.of("bank.example", "*.shop")));
        assertTrue(e.getMessage().contains("'*.shop'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KnownGoodSenders.of(List.of("localhost")));
    }
}
