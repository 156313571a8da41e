package io.mailfleet.core.auth.dmarc;

import io.mailfleet.core.dkim.ArcResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which chains override a DMARC failure: a passing chain whose newest set from a trusted sealer (any case)
 * recorded dmarc, spf or dkim pass outside comments; nothing for a DMARC pass, a failed chain, an untrusted
 * sealer, or a trusted sealer that recorded only failures.
 */
class ArcOverrideTest {

    private static final DmarcResult FAIL = new DmarcResult(DmarcResult.Status.FAIL, "strict.test",
            DmarcRecord.Policy.REJECT, DmarcRecord.Policy.REJECT, "no aligned SPF or DKIM pass");
    private static final DmarcResult PASS = new DmarcResult(DmarcResult.Status.PASS, "strict.test",
            DmarcRecord.Policy.REJECT, DmarcRecord.Policy.NONE, "DKIM aligned");

    private static ArcResult chain(ArcResult.Status status, ArcResult.ArcSet... sets) {
        return new ArcResult(status, "test", sets.length, 0, List.of(sets));
    }

    private static ArcResult.ArcSet set(int i, String sealer, String results) {
        return new ArcResult.ArcSet(i, sealer, results);
    }

    @Test
    void aTrustedSealersRecordedPassOverridesAFailure() {
        ArcOverride o = new ArcOverride(List.of("Lists.Test"));
        assertEquals(Optional.of("lists.test"), o.overridingSealer(FAIL, chain(ArcResult.Status.PASS,
                set(1, "lists.test", "lists.test; spf=fail smtp.mailfrom=x; dkim=pass header.d=strict.test"))));
        assertEquals(Optional.of("lists.test"), o.overridingSealer(FAIL, chain(ArcResult.Status.PASS,
                set(1, "lists.test", "lists.test;\tdmarc=pass header.from=strict.test"),
                set(2, "relay.test", "relay.test; arc=pass"))));
    }

    @Test
    void nothingElseOverrides() {
        ArcOverride o = new ArcOverride(List.of("lists.test"));
        ArcResult good = chain(ArcResult.Status.PASS, set(1, "lists.test", "lists.test; dmarc=pass"));
        assertEquals(Optional.empty(), o.overridingSealer(PASS, good), "nothing to override");
        assertEquals(Optional.empty(), o.overridingSealer(FAIL, chain(ArcResult.Status.FAIL)), "failed chain");
        assertEquals(Optional.empty(), o.overridingSealer(FAIL, chain(ArcResult.Status.PASS,
                set(1, "other.test", "other.test; dmarc=pass"))), "untrusted sealer");
        assertEquals(Optional.empty(), o.overridingSealer(FAIL, chain(ArcResult.Status.PASS,
                set(1, "lists.test", "lists.test; spf=fail (dkim=pass in a comment); dmarc=fail; dkim=passive"))),
                "only failures recorded");
        assertEquals(Optional.empty(), new ArcOverride(List.of()).overridingSealer(FAIL, good), "nobody trusted");
    }
}
