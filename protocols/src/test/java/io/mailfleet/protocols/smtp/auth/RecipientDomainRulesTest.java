package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.ArcOverride;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Per recipient domain DMARC actions and sealers: a message to several domains gets the most lenient. */
class RecipientDomainRulesTest {

    private final ArcOverride global = new ArcOverride(List.of("lists.example.net"));
    private final ArcOverride own = new ArcOverride(List.of("forwarder.example.org"));
    private final RecipientDomainRules rules = new RecipientDomainRules(
            Map.of("Tagged.example", DmarcPolicy.Action.TAG, "junk.example", DmarcPolicy.Action.QUARANTINE),
            Map.of("own.example", own));

    @Test
    void theMostLenientActionOfTheRecipientsApplies() {
        assertEquals(DmarcPolicy.Action.ENFORCE, rules.action(List.of("a@other.example"), DmarcPolicy.Action.ENFORCE));
        assertEquals(DmarcPolicy.Action.TAG, rules.action(List.of("a@TAGGED.example"), DmarcPolicy.Action.ENFORCE));
        assertEquals(DmarcPolicy.Action.QUARANTINE, rules.action(List.of("a@other.example", "b@junk.example"),
                DmarcPolicy.Action.ENFORCE));
        assertEquals(DmarcPolicy.Action.TAG, rules.action(List.of("b@junk.example", "a@tagged.example"),
                DmarcPolicy.Action.ENFORCE));
        // a domain's own action replaces the node's, stricter or not
        assertEquals(DmarcPolicy.Action.QUARANTINE, rules.action(List.of("b@junk.example"), DmarcPolicy.Action.TAG));
        assertEquals(DmarcPolicy.Action.ENFORCE, RecipientDomainRules.NONE.action(List.of("a@tagged.example"),
                DmarcPolicy.Action.ENFORCE));
    }

    @Test
    void anyRecipientDomainsSealersMayVouch() {
        assertEquals(List.of(global), rules.arcOverrides(List.of("a@other.example"), global));
        assertEquals(List.of(own), rules.arcOverrides(List.of("a@own.example"), global));
        assertEquals(List.of(own, global), rules.arcOverrides(List.of("a@own.example", "b@other.example",
                "c@third.example"), global));
        assertSame(global, RecipientDomainRules.NONE.arcOverrides(List.of("a@own.example"), global).get(0));
    }
}
