package io.mailfleet.core.mtasts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8461 §3.1/§3.2 parsing: the TXT record and the policy file, including hostile input. */
class MtaStsPolicyTest {

    private static MtaStsPolicy parse(String s) {
        return MtaStsPolicy.parse(s.getBytes(StandardCharsets.UTF_8), MtaStsPolicy.MAX_AGE_LIMIT);
    }

    private static String error(String s) {
        return assertThrows(IllegalArgumentException.class, () -> parse(s)).getMessage();
    }

    @Test
    void parsesTheRfcExample() {
        MtaStsPolicy p = parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com.\r\nmax_age: 604800\r\n");
        assertEquals(MtaStsMode.ENFORCE, p.mode());
        assertEquals(List.of("mail.example.com", "*.example.net", "backupmx.example.com"), p.mx());
        assertEquals(604800, p.maxAgeSeconds());
        assertTrue(p.allowsMx("MAIL.example.com."));
        assertTrue(p.allowsMx("mx1.example.net"));
        assertFalse(p.allowsMx("example.net"), "*. needs one label");
        assertFalse(p.allowsMx("a.b.example.net"), "*. covers exactly one label");
        assertFalse(p.allowsMx("mail.example.com.evil.example"));
        assertEquals(List.of("version: STSv1", "mode: enforce", "mx: mail.example.com", "mx: *.example.net",
                "mx: backupmx.example.com", "max_age: 604800"), p.policyStrings());
    }

    @Test
    void lfLinesUnknownKeysAndNoneWithoutMx() {
        MtaStsPolicy p = parse("version: STSv1\nmode: none\nmax_age: 86400\nfuture_key: whatever\n");
        assertEquals(MtaStsMode.NONE, p.mode());
        assertTrue(p.mx().isEmpty());
    }

    @Test
    void maxAgeIsCapped() {
        assertEquals(MtaStsPolicy.MAX_AGE_LIMIT, parse("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 9999999999\n")
                .maxAgeSeconds());
        assertEquals(3600, MtaStsPolicy.parse("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 86400\n"
                .getBytes(StandardCharsets.UTF_8), 3600).maxAgeSeconds());
    }

    @Test
    void malformedPoliciesAreRefusedWithTheReason() {
        assertTrue(error("mode: enforce\nmx: a.example\nmax_age: 1\n").contains("no version"));
        assertTrue(error("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n").contains("not STSv1"));
        assertTrue(error("version: STSv1\nmode: sometimes\nmx: a.example\nmax_age: 1\n").contains("unknown mode"));
        assertTrue(error("version: STSv1\nmode: enforce\nmax_age: 1\n").contains("no mx"));
        assertTrue(error("version: STSv1\nmode: enforce\nmx: a.example\n").contains("no max_age"));
        assertTrue(error("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -5\n").contains("not a number"));
        assertTrue(error("version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1\n").contains("twice"));
        assertTrue(error("version: STSv1\nmode: enforce\nmx: a..example\nmax_age: 1\n").contains("not a host name"));
        assertTrue(error("version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n").contains("not a host name"));
        assertTrue(error("<html>hello</html>").contains("without 'key: value'"));
        assertTrue(error("").contains("no version"));
    }

    @Test
    void txtRecord() {
        assertEquals(Optional.of("20160831085700Z"), MtaStsTxt.policyId(List.of("v=STSv1; id=20160831085700Z;")));
        assertEquals(Optional.of("abc"), MtaStsTxt.policyId(List.of("something else", "v=STSv1;id=abc")));
        assertTrue(MtaStsTxt.policyId(List.of("v=STSv1; id=a;", "v=STSv1; id=b;")).isEmpty(), "two records: none");
        assertTrue(MtaStsTxt.policyId(List.of("v=STSv1;")).isEmpty(), "no id");
        assertTrue(MtaStsTxt.policyId(List.of("v=STSv1; id=has space;")).isEmpty());
        assertTrue(MtaStsTxt.policyId(List.of("v=STSv1; id=" + "x".repeat(33) + ";")).isEmpty(), "id over 32 chars");
        assertTrue(MtaStsTxt.policyId(List.of("v=spf1 -all")).isEmpty());
    }

    @Test
    void cachedPolicyExpiresAfterMaxAge() {
        CachedPolicy c = new CachedPolicy("example.com", "1", parse("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 60\n"), 1000);
        assertTrue(c.validAt(60_999));
        assertFalse(c.validAt(61_000));
    }
}
