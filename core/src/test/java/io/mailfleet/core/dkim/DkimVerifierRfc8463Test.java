package io.mailfleet.core.dkim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published example of RFC 8463 Appendix A (signed twice: Ed25519 "brisbane" and RSA "test"). */
class DkimVerifierRfc8463Test {
    static final String SIGNED = String.join("\r\n",
            "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=brisbane; t=1528637909; h=from : to :",
            " subject : date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11Bus",
            " Fa3bT3FY5OsU7ZbnKELq+eXdp1Q1Dw==",
            "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;",
            " d=football.example.com; i=@football.example.com;",
            " q=dns/txt; s=test; t=1528637909; h=from : to : subject :",
            " date : message-id : from : subject : date;",
            " bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;",
            " b=F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3",
            " DhCVlUrSjV4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2Jz",
            " dA+L10TeYt9BgDfQNZtKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
            "From: Joe SixPack <joe@football.example.com>",
            "To: Suzie Q <suzie@shopping.example.net>",
            "Subject: Is dinner ready?",
            "Date: Fri, 11 Jul 2003 21:00:37 -0700 (PDT)",
            "Message-ID: <20030712040037.46341.5F8J@football.example.com>",
            "",
            "Hi.",
            "",
            "We lost the game.  Are you hungry yet?",
            "",
            "Joe.",
            "") + "\r\n";
    static final Map<String, String> KEYS = Map.of(
            "brisbane._domainkey.football.example.com",
            "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "test._domainkey.football.example.com",
            "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR"
                    + "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC"
                    + "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3"
                    + "Ip3G+2kryOTIKT+l/K4w3QIDAQAB");

    static DkimVerifier verifier(Map<String, String> keys) {
        return new DkimVerifier(name -> keys.containsKey(name) ? List.of(keys.get(name)) : List.of(),
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    }

    static List<DkimResult.Status> statuses(String message, Map<String, String> keys) throws Exception {
        return verifier(keys).verify(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)))
                .stream().map(DkimResult::status).toList();
    }

    @Test
    void bothRfcSignaturesVerify() throws Exception {
        List<DkimResult> results = verifier(KEYS).verify(new ByteArrayInputStream(SIGNED.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(2, results.size());
        assertEquals(new DkimResult("football.example.com", "brisbane", DkimResult.Status.PASS, "good signature",
                "@football.example.com", "ed25519-sha256", "/gCrinpc", -1, false), results.get(0));
        assertEquals(new DkimResult("football.example.com", "test", DkimResult.Status.PASS, "good signature",
                "@football.example.com", "rsa-sha256", "F45dVWDf", -1, false), results.get(1));
    }

    @Test
    void tamperingFails() throws Exception {
        var fail = DkimResult.Status.FAIL;
        assertEquals(List.of(fail, fail), statuses(SIGNED.replace("hungry", "angry"), KEYS));
        assertEquals(List.of(fail, fail), statuses(SIGNED.replace("dinner", "lunch"), KEYS));
        assertEquals(List.of(fail, fail), statuses(SIGNED.replace("From: Joe", "From: Mallory <m@evil.example>\r\nFrom: Joe"), KEYS));
        var pass = DkimResult.Status.PASS;
        assertEquals(List.of(pass, pass), statuses(SIGNED.replace("Message-ID:", "X-Mailer: any\r\nMessage-ID:"), KEYS));
        assertEquals(List.of(pass, pass), statuses(SIGNED.replace("\r\n", "\n"), KEYS));
    }

    @Test
    void keyProblemsAndMalformedSignaturesAreErrorsNotCrashes() throws Exception {
        var perm = DkimResult.Status.PERMERROR;
        assertEquals(List.of(perm, DkimResult.Status.PASS), statuses(SIGNED, Map.of("test._domainkey.football.example.com",
                KEYS.get("test._domainkey.football.example.com"))));
        assertEquals(perm, statuses(SIGNED, Map.of("brisbane._domainkey.football.example.com", "v=DKIM1; k=ed25519; p=")).get(0));
        // RFC 8301: rsa-sha1 is a failure; an expired signature fails, a changed signature field does not verify
        assertEquals(DkimResult.Status.FAIL, statuses(SIGNED.replaceFirst("a=ed25519-sha256", "a=rsa-sha1"), KEYS).get(0));
        assertEquals(DkimResult.Status.FAIL, statuses(SIGNED.replaceFirst("s=brisbane;", "l=3; s=brisbane;"), KEYS).get(0));
        assertEquals(perm, statuses(SIGNED.replaceFirst("i=@football.example.com", "i=@example.net"), KEYS).get(0));
        assertEquals(DkimResult.Status.FAIL,
                statuses(SIGNED.replaceFirst("t=1528637909;", "t=1528637909; x=1528637910;"), KEYS).get(0));
        assertEquals(perm, statuses(SIGNED.replaceFirst("b=/gCr", "b=!!!"), KEYS).get(0));
        DkimVerifier down = new DkimVerifier(name -> {
            throw new DkimException("SERVFAIL");
        }, Clock.systemUTC());
        List<DkimResult> r = down.verify(new ByteArrayInputStream(SIGNED.getBytes(StandardCharsets.US_ASCII)));
        assertTrue(r.stream().allMatch(x -> x.status() == DkimResult.Status.TEMPERROR), r.toString());
        assertEquals(List.of(), statuses("From: a@b.c\r\n\r\nhi\r\n", KEYS));
    }
}
