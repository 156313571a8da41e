package io.mailfleet.core.auth.dmarc.report;

import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.dkim.DkimResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ruf=}, {@code fo=} and {@code rf=} of RFC 7489 section 6.3, and which failures each fo= option reports. */
class DmarcFailureOptionsTest {

    private static AuthenticationResults results(DmarcResult.Status status, boolean dkimAligned, boolean spfAligned,
                                                 SpfResult spf, List<DkimResult> dkim) {
        DmarcResult d = new DmarcResult(status, "example.com", DmarcRecord.Policy.REJECT, DmarcRecord.Policy.NONE,
                "test", "example.com", dkimAligned, spfAligned);
        return new AuthenticationResults("mx.test", new SpfOutcome(spf, "a@example.net", false), dkim, 0, d);
    }

    private static final AuthenticationResults FAILED = results(DmarcResult.Status.FAIL, false, false, SpfResult.PASS,
            List.of());
    private static final AuthenticationResults SPF_ALIGNED_ONLY = results(DmarcResult.Status.PASS, false, true,
            SpfResult.PASS, List.of());
    private static final AuthenticationResults BROKEN_SIGNATURE = results(DmarcResult.Status.PASS, true, true,
            SpfResult.PASS, List.of(new DkimResult("example.com", "s1", DkimResult.Status.PASS, "ok"),
                    new DkimResult("other.example", "s2", DkimResult.Status.FAIL, "body hash")));
    private static final AuthenticationResults SPF_FAILED = results(DmarcResult.Status.PASS, true, false,
            SpfResult.FAIL, List.of(new DkimResult("example.com", "s1", DkimResult.Status.PASS, "ok")));
    private static final AuthenticationResults CLEAN = results(DmarcResult.Status.PASS, true, true, SpfResult.PASS,
            List.of(new DkimResult("example.com", "s1", DkimResult.Status.PASS, "ok")));

    @Test
    void defaultsAreFoZeroAndAfrf() {
        DmarcFailureOptions o = DmarcFailureOptions.parse("v=DMARC1; p=reject; ruf=mailto:f@example.com!10k");
        assertEquals(Set.of("0"), o.options());
        assertTrue(o.afrf());
        assertEquals(List.of(new DmarcRua("f@example.com", 10 * 1024)), o.ruf());
        assertEquals(List.of(), DmarcFailureOptions.parse("v=DMARC1; p=reject; rua=mailto:a@example.com").ruf());
    }

    @Test
    void foOptionsAndRfAreRead() {
        DmarcFailureOptions o = DmarcFailureOptions.parse("v=DMARC1; p=none; fo=1:D: s :x; rf=iodef:AFRF;"
                + " ruf=mailto:a@example.com,https://example.com/r,mailto:b@example.net");
        assertEquals(Set.of("1", "d", "s"), o.options());
        assertTrue(o.afrf());
        assertEquals(2, o.ruf().size());
        assertFalse(DmarcFailureOptions.parse("v=DMARC1; p=none; rf=iodef; ruf=mailto:a@example.com").afrf());
        assertEquals(Set.of("0"), DmarcFailureOptions.parse("v=DMARC1; p=none; fo=x").options());
    }

    @Test
    void eachOptionReportsWhatTheRfcSays() {
        DmarcFailureOptions fo0 = DmarcFailureOptions.parse("v=DMARC1; p=none; fo=0");
        DmarcFailureOptions fo1 = DmarcFailureOptions.parse("v=DMARC1; p=none; fo=1");
        DmarcFailureOptions foD = DmarcFailureOptions.parse("v=DMARC1; p=none; fo=d");
        DmarcFailureOptions foS = DmarcFailureOptions.parse("v=DMARC1; p=none; fo=s");
        assertTrue(fo0.wants(FAILED));
        assertFalse(fo0.wants(SPF_ALIGNED_ONLY));
        assertTrue(fo1.wants(FAILED));
        assertTrue(fo1.wants(SPF_ALIGNED_ONLY));
        assertFalse(fo1.wants(BROKEN_SIGNATURE));
        assertTrue(foD.wants(BROKEN_SIGNATURE));
        assertFalse(foD.wants(FAILED));
        assertTrue(foS.wants(SPF_FAILED));
        assertFalse(foS.wants(BROKEN_SIGNATURE));
        for (DmarcFailureOptions o : List.of(fo0, fo1, foD, foS)) {
            assertFalse(o.wants(CLEAN));
        }
        assertFalse(DmarcFailureOptions.anyFailure(CLEAN));
        assertTrue(DmarcFailureOptions.anyFailure(BROKEN_SIGNATURE));
        assertTrue(DmarcFailureOptions.anyFailure(SPF_ALIGNED_ONLY));
    }
}
