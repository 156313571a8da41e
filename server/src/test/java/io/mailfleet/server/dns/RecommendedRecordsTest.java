package io.mailfleet.server.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The records' rules that the end-to-end test does not reach: report addresses elsewhere, relay spellings, comparison. */
class RecommendedRecordsTest {

    @TempDir
    Path dkim;

    private RecommendedRecords.Plan plan(String host, Optional<String> reports) {
        return new RecommendedRecords(new DnsPlanSettings(host, Optional.empty(), reports,
                List.of(new DnsPlanSettings.Service("_imaps", 993, 0)), false), new DkimRecords(dkim)).of("Example.COM");
    }

    private static DnsRecord named(RecommendedRecords.Plan p, String name) {
        return p.records().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    @Test
    void aReportAddressInAnotherDomainAddsTheRfc7489AuthorisationRecord() {
        RecommendedRecords.Plan p = plan("mail.example.com", Optional.of("dmarc@reports.example.net"));
        assertEquals("v=DMARC1; p=none; rua=mailto:dmarc@reports.example.net", named(p, "_dmarc.example.com").value());
        assertEquals("v=DMARC1", named(p, "example.com._report._dmarc.reports.example.net").value());
        assertEquals("v=TLSRPTv1; rua=mailto:dmarc@reports.example.net", named(p, "_smtp._tls.example.com").value());
        assertTrue(plan("mail.example.com", Optional.empty()).records().stream()
                .noneMatch(r -> r.name().contains("._report._dmarc.")), "postmaster@ the domain itself needs none");
        assertEquals("0 1 993 mail.example.com.", named(p, "_imaps._tcp.example.com").value());
    }

    @Test
    void theMtaStsIdFollowsThePolicy() {
        String a = named(plan("mail.example.com", Optional.empty()), "_mta-sts.example.com").value();
        String b = named(plan("mx2.example.com", Optional.empty()), "_mta-sts.example.com").value();
        assertTrue(a.matches("v=STSv1; id=[0-9a-f]{20}"), a);
        assertNotEquals(a, b);
        assertEquals(a, named(plan("mail.example.com", Optional.empty()), "_mta-sts.example.com").value());
    }

    @Test
    void theMailCertificateGivesADaneEeTlsaRecordForTheMxHost() throws Exception {
        java.security.cert.X509Certificate cert = new io.mailfleet.protocols.outbound.TestCa("DNS plan CA")
                .issue("mail.example.com").certificate();
        RecommendedRecords withCert = new RecommendedRecords(new DnsPlanSettings("mail.example.com", Optional.empty(),
                Optional.empty(), List.of(), false), new DkimRecords(dkim)).withCertificate(() -> Optional.of(cert));
        DnsRecord tlsa = named(withCert.of("example.com"), "_25._tcp.mail.example.com");
        String spkiSha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(cert.getPublicKey().getEncoded()));
        assertEquals("TLSA", tlsa.type());
        assertEquals("3 1 1 " + spkiSha256, tlsa.value());
        assertTrue(tlsa.zoneLine().startsWith("_25._tcp.mail.example.com. IN TLSA 3 1 1 " + spkiSha256 + " ; "),
                tlsa.zoneLine());
        // DnsCheck compares it with what DNS answers (dnsjava prints the digest in upper case).
        assertEquals(DnsCheck.Status.OK, DnsCheck.compare(tlsa, List.of("3 1 1 " + spkiSha256.toUpperCase())).status());
        assertTrue(plan("mail.example.com", Optional.empty()).records().stream().noneMatch(r -> r.type().equals("TLSA")),
                "no certificate, no TLSA record");
    }

    @Test
    void relayHostSpellings() {
        assertEquals("smtp.relay.example", DnsPlanSettings.relayHostName("[smtp.relay.example]:587"));
        assertEquals("smtp.relay.example", DnsPlanSettings.relayHostName("smtp.relay.example:2525"));
        assertEquals("smtp.relay.example", DnsPlanSettings.relayHostName(" smtp.relay.example "));
    }

    @Test
    void longTextIsSplitIntoStringsOfAtMost255() {
        String text = "v=DKIM1; k=rsa; p=" + "A".repeat(400);
        String line = new DnsRecord("s._domainkey.example.com", "TXT", text, "key").zoneLine();
        assertEquals("s._domainkey.example.com. IN TXT ( \"" + text.substring(0, 255) + "\" \"" + text.substring(255)
                + "\" ) ; key", line);
    }

    @Test
    void comparison() {
        DnsRecord spf = new DnsRecord("example.com", "TXT", "v=spf1 mx -all", "spf");
        assertEquals(DnsCheck.Status.OK, DnsCheck.compare(spf, List.of("other", "v=spf1  mx  -all")).status());
        assertEquals(DnsCheck.Status.DIFFERENT, DnsCheck.compare(spf, List.of("other", "v=spf1 -all")).status());
        assertEquals(List.of("v=spf1 -all"), DnsCheck.compare(spf, List.of("other", "v=spf1 -all")).found());
        assertEquals(DnsCheck.Status.MISSING, DnsCheck.compare(spf, List.of("google-site-verification=x")).status());
        DnsRecord mx = new DnsRecord("example.com", "MX", "10 mail.example.com.", "mx");
        assertEquals(DnsCheck.Status.OK, DnsCheck.compare(mx, List.of("10 MAIL.example.com.")).status());
        assertEquals(DnsCheck.Status.DIFFERENT, DnsCheck.compare(mx, List.of("10 other.example.com.")).status());
        assertEquals(DnsCheck.Status.MISSING, DnsCheck.compare(mx, List.of()).status());
    }
}
