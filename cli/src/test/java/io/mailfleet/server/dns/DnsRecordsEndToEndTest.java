package io.mailfleet.server.dns;

import io.mailfleet.cli.CliRun;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.SRVRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.mailfleet.cli.CliRun.cli;

/**
 * {@code ./mailfleet config dns} against a started node: the records printed for a domain with a DKIM key made
 * by {@code config dkim}, then {@code --check} against a DNS server whose zone has some records right, some
 * different and some missing.
 */
class DnsRecordsEndToEndTest {

    @TempDir
    Path data;

    /** The printed line of the record at {@code name} of {@code type}. */
    static String line(String out, String name, String type) {
        List<String> found = Arrays.stream(out.split("\n")).filter(l -> l.startsWith(name + ". IN " + type + " ")).toList();
        assertEquals(1, found.size(), name + " " + type + " in:\n" + out);
        return found.get(0);
    }

    @Test
    void printsTheRecordsOfTheRunningNodeAndChecksThemAgainstLiveDns() throws Exception {
        int submission = TestServers.freePort();
        int imap = TestServers.freePort();
        int pop3 = TestServers.freePort();
        try (TestDnsServer dns = new TestDnsServer()) {
            Map<String, String> extra = new HashMap<>();
            extra.put("MAILFLEET_DNS_SERVER", "127.0.0.1:" + dns.settings(Duration.ofSeconds(2)).server().getPort());
            extra.put("MAILFLEET_SUBMISSION_PORT", Integer.toString(submission));
            extra.put("MAILFLEET_IMAP_PORT", Integer.toString(imap));
            extra.put("MAILFLEET_POP3_PORT", Integer.toString(pop3));
            extra.put("MAILFLEET_AUTOCONFIG", "1");
            extra.put("MAILFLEET_AUTOCONFIG_PORT", Integer.toString(TestServers.freePort()));
            extra.put("RELAY_HOST", "smtp.relay.example");
            Map<String, String> env = TestServers.env(data, extra);
            try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret-pw", false))) {
                CliRun dkim = cli(env, "config", "dkim", "keysize", "1024", "selector", "s1", "domain", "example.com");
                assertEquals(0, dkim.code(), dkim.toString());
                String dkimText = DkimKeys.recordFromZoneFileText(
                        Files.readString(data.resolve("dkim/keys/example.com/s1.txt")));

                CliRun plan = cli(env, "config", "dns", "example.com");
                assertEquals(0, plan.code(), plan.toString());
                String out = plan.out();
                assertTrue(line(out, "example.com", "MX").startsWith("example.com. IN MX 10 mail.example.com. ; "), out);
                assertTrue(line(out, "example.com", "TXT").startsWith(
                        "example.com. IN TXT \"v=spf1 mx a:smtp.relay.example -all\" ; "), out);
                assertTrue(line(out, "example.com", "TXT").contains("relay host smtp.relay.example"), out);
                String key = line(out, "s1._domainkey.example.com", "TXT");
                assertTrue(key.replaceAll("\" \"", "").contains(dkimText), key + "\n" + dkimText);
                assertTrue(line(out, "_dmarc.example.com", "TXT").startsWith(
                        "_dmarc.example.com. IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@example.com\" ; "), out);
                assertTrue(line(out, "_mta-sts.example.com", "TXT").matches(
                        "_mta-sts\\.example\\.com\\. IN TXT \"v=STSv1; id=[0-9a-f]{20}\" ; .*"), out);
                assertTrue(line(out, "_smtp._tls.example.com", "TXT").startsWith(
                        "_smtp._tls.example.com. IN TXT \"v=TLSRPTv1; rua=mailto:postmaster@example.com\" ; "), out);
                // No TLS in this node: the implicit-TLS services are published as not offered (RFC 6186 "." target)
                assertTrue(line(out, "_submission._tcp.example.com", "SRV").startsWith(
                        "_submission._tcp.example.com. IN SRV 1 1 " + submission + " mail.example.com. ; "), out);
                assertTrue(line(out, "_submissions._tcp.example.com", "SRV").startsWith(
                        "_submissions._tcp.example.com. IN SRV 0 0 0 . ; "), out);
                assertTrue(line(out, "_imap._tcp.example.com", "SRV").contains(" SRV 1 1 " + imap + " mail.example.com."), out);
                assertTrue(line(out, "_imaps._tcp.example.com", "SRV").contains(" SRV 0 0 0 . ; "), out);
                assertTrue(line(out, "_pop3._tcp.example.com", "SRV").contains(" SRV 1 1 " + pop3 + " mail.example.com."), out);
                assertTrue(line(out, "_pop3s._tcp.example.com", "SRV").contains(" SRV 0 0 0 . ; "), out);
                assertTrue(line(out, "_autodiscover._tcp.example.com", "SRV").contains(" 0 1 443 mail.example.com."), out);
                assertTrue(out.contains("; MTA-STS policy to serve at https://mta-sts.example.com/.well-known/mta-sts.txt"), out);
                assertTrue(out.contains(";   mx: mail.example.com\n") && out.contains(";   mode: testing\n"), out);

                // Without a domain: every local domain (the account's) is printed.
                CliRun all = cli(env, "config", "dns");
                assertEquals(0, all.code(), all.toString());
                assertTrue(all.out().contains("; ---- example.com\n"), all.out());

                CliRun bad = cli(env, "config", "dns", "not_a.domain!");
                assertEquals(1, bad.code(), bad.toString());
                assertTrue(bad.err().contains("is not a domain name"), bad.toString());

                // The zone: MX, DKIM, TLS-RPT and the submission SRV as printed; SPF and the IMAP SRV differ; DMARC missing.
                dns.mx("example.com", 10, "mail.example.com")
                        .txt("example.com", "google-site-verification=abc")
                        .txt("example.com", "v=spf1 mx -all")
                        .txt("s1._domainkey.example.com", dkimText)
                        .txt("_smtp._tls.example.com", "v=TLSRPTv1;  rua=mailto:postmaster@example.com")
                        .record(new SRVRecord(TestDnsServer.name("_submission._tcp.example.com"), DClass.IN, 60, 1, 1,
                                submission, TestDnsServer.name("mail.example.com")))
                        .record(new SRVRecord(TestDnsServer.name("_imap._tcp.example.com"), DClass.IN, 60, 0, 1,
                                143, TestDnsServer.name("mail.example.com")));
                CliRun check = cli(env, "config", "dns", "example.com", "--check");
                assertEquals(1, check.code(), "not everything is published: " + check);
                String c = check.out();
                assertTrue(line(c, "example.com", "MX").endsWith(" [ok]"), c);
                assertTrue(line(c, "s1._domainkey.example.com", "TXT").endsWith(" [ok]"), c);
                assertTrue(line(c, "_smtp._tls.example.com", "TXT").endsWith(" [ok]"), c);
                assertTrue(line(c, "_submission._tcp.example.com", "SRV").endsWith(" [ok]"), c);
                assertTrue(line(c, "example.com", "TXT").endsWith(" [different, DNS has: v=spf1 mx -all]"), c);
                assertTrue(line(c, "_imap._tcp.example.com", "SRV").endsWith(
                        " [different, DNS has: 0 1 143 mail.example.com.]"), c);
                assertTrue(line(c, "_dmarc.example.com", "TXT").endsWith(" [missing]"), c);
                assertTrue(line(c, "_mta-sts.example.com", "TXT").endsWith(" [missing]"), c);
                assertTrue(line(c, "_pop3s._tcp.example.com", "SRV").endsWith(" [missing]"), c);
            }
        }
    }
}
