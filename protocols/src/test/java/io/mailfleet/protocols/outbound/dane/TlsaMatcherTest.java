package io.mailfleet.protocols.outbound.dane;

import io.mailfleet.protocols.outbound.TestCa;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every selector and matching type for DANE-EE and DANE-TA, and which records are usable (RFC 7672 §3.1). */
class TlsaMatcherTest {

    private static X509Certificate leaf;
    private static X509Certificate caCert;
    private static X509Certificate stranger;

    @BeforeAll
    static void certificates() throws Exception {
        TestCa ca = new TestCa("TLSA test CA");
        leaf = ca.issue("mx.example.com").certificate();
        caCert = ca.certificate();
        stranger = new TestCa("Another CA").issue("mx.example.com").certificate();
    }

    private static TlsaMatcher.Verdict check(Tlsa t, X509Certificate... chain) {
        return TlsaMatcher.check(List.of(t), chain, List.of("mx.example.com"), names -> names.contains("mx.example.com"));
    }

    private static Tlsa of(int usage, int selector, int matching, X509Certificate cert) throws Exception {
        return new Tlsa(usage, selector, matching, TlsaMatcher.association(cert, selector, matching));
    }

    @Test
    void daneEeMatchesEverySelectorAndMatchingType() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                Tlsa t = of(3, selector, matching, leaf);
                assertTrue(t.usable(), t.toString());
                assertTrue(check(t, leaf, caCert).pass(), t.toString());
                assertFalse(check(t, stranger).pass(), t + " must not match another certificate");
            }
        }
    }

    @Test
    void daneTaMatchesTheIssuerInTheChainAndValidatesBelowIt() throws Exception {
        for (int selector = 0; selector <= 1; selector++) {
            for (int matching = 0; matching <= 2; matching++) {
                Tlsa t = of(2, selector, matching, caCert);
                assertTrue(check(t, leaf, caCert).pass(), t.toString());
                // The stranger's chain does not lead to this CA even when the CA certificate is appended.
                assertFalse(check(t, stranger, caCert).pass(), t.toString());
            }
        }
    }

    @Test
    void daneTaNeedsAnAcceptableName() throws Exception {
        Tlsa t = of(2, 1, 1, caCert);
        TlsaMatcher.Verdict v = TlsaMatcher.check(List.of(t), new X509Certificate[] {leaf, caCert},
                List.of("mx.example.com"), names -> false);
        assertFalse(v.pass());
        assertTrue(v.detail().contains("match neither the MX host nor the nexthop domain"), v.detail());
    }

    @Test
    void usabilityFollowsRfc7672() throws Exception {
        assertFalse(of(0, 1, 1, leaf).usable(), "PKIX-TA is unusable for SMTP");
        assertFalse(of(1, 1, 1, leaf).usable(), "PKIX-EE is unusable for SMTP");
        assertFalse(new Tlsa(3, 2, 1, new byte[32]).usable(), "unknown selector");
        assertFalse(new Tlsa(3, 1, 3, new byte[32]).usable(), "unknown matching type");
        assertFalse(new Tlsa(3, 1, 1, new byte[31]).usable(), "a SHA-256 digest of the wrong length");
        assertFalse(new Tlsa(3, 1, 2, new byte[32]).usable(), "a SHA-512 digest of the wrong length");
        assertFalse(new Tlsa(3, 0, 0, new byte[0]).usable(), "empty exact data");
        assertFalse(check(of(3, 1, 1, leaf), new X509Certificate[0]).pass(), "no certificate");
    }
}
