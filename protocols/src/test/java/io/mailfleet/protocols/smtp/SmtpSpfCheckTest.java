package io.mailfleet.protocols.smtp;

import io.mailfleet.testkit.Wire;
import io.mailfleet.core.auth.spf.SpfEvaluator;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.protocols.smtp.spf.SpfCheck;
import io.mailfleet.protocols.smtp.spf.SpfPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SPF check on a real listener, asking a real DNS server on loopback: policyd-spf's policy at RCPT
 * (fail 550 5.7.23, temperror 451 4.7.24, the rest accepted) and the Received-SPF field on the stored
 * message, above our Received: field.
 */
class SmtpSpfCheckTest {

    private static final String ALICE_PLAIN = "AGFsaWNlQGV4YW1wbGUuY29tAHNlY3JldA==";

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private TestDnsServer dns;
    private SmtpServer server;

    @BeforeEach
    void fixture() throws Exception {
        fx = new SmtpFixture(dir, false);
        dns = new TestDnsServer()
                .txt("strict.test", "v=spf1 -all")
                .txt("pass.test", "v=spf1 ip4:127.0.0.1 ip6:::1 -all")
                .txt("soft.test", "v=spf1 ~all")
                .txt("broken.test", "v=spf1 ip4:not-an-address -all")
                .silent("slow.test");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        fx.close();
        dns.close();
    }

    private Wire connect(SpfPolicy policy, SmtpMode mode) throws Exception {
        AsyncDnsResolver resolver = new AsyncDnsResolver(dns.settings(Duration.ofMillis(800)).resolverSettings());
        SpfCheck spf = new SpfCheck(new SpfEvaluator(resolver, SmtpFixture.HOST), policy, SmtpFixture.HOST);
        server = SmtpServer.start(SmtpFixture.settings(mode), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()).withChecks(SmtpChecks.NONE.withMail(spf)));
        Wire c = Wire.smtp(server.port());
        c.expect("220 ");
        return c;
    }

    private static SpfPolicy policy() {
        return new SpfPolicy(SpfPolicy.FailAction.REJECT, false, List.of());
    }

    private String deliver(Wire c, String sender) throws Exception {
        c.send("MAIL FROM:<" + sender + ">").expect("250 2.1.0 Ok");
        c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        c.send("DATA").expect("354 ");
        c.write("Subject: hi\r\n\r\nbody\r\n.\r\n");
        c.expect("250 2.0.0 Ok: queued as ");
        assertEquals(1, fx.queue.entries.size());
        return fx.content(fx.queue.entries.get(0).blob());
    }

    @Test
    void aFailingSenderIsRefusedAtEveryRcptWithTheExplanation() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<x@strict.test>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("550 5.7.23 Message rejected due to: SPF fail - not authorized. "
                    + "127.0.0.1 is not one of strict.test's designated mail servers.");
            c.send("RCPT TO:<bob@example.com>").expect("550 5.7.23 ");
            c.send("RSET").expect("250 ");
            // the refusal belongs to that transaction only
            c.send("MAIL FROM:<x@pass.test>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void theNullSenderIsCheckedWithTheHeloIdentity() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO strict.test").expect("250-");
            c.send("MAIL FROM:<>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("550 5.7.23 Message rejected due to: SPF fail");
        }
    }

    @Test
    void aPassIsAcceptedAndRecordedAboveTheReceivedField() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            String msg = deliver(c, "x@pass.test");
            assertTrue(msg.startsWith("Received-SPF: pass (mail.example.com: domain of x@pass.test designates "
                    + "127.0.0.1 as permitted sender)\r\n\tclient-ip=127.0.0.1;\r\n\tenvelope-from=\"x@pass.test\";\r\n"
                    + "\thelo=\"client.example.org\";\r\n\treceiver=\"mail.example.com\";\r\n\tidentity=mailfrom\r\n"
                    + "Received: from client.example.org"), msg);
        }
    }

    @Test
    void aSoftfailIsAcceptedAndTagged() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            assertTrue(deliver(c, "x@soft.test").startsWith("Received-SPF: softfail ("));
        }
    }

    @Test
    void aPermerrorIsAcceptedAndTagged() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            assertTrue(deliver(c, "x@broken.test").startsWith("Received-SPF: permerror ("));
        }
    }

    @Test
    void aDnsTimeoutDefersEveryRcpt() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<x@slow.test>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("451 4.7.24 Message deferred due to: SPF temperror");
        }
        assertTrue(fx.queue.entries.isEmpty());
    }

    @Test
    void aDnsTimeoutIsAcceptedAndTaggedWhenConfigured() throws Exception {
        try (Wire c = connect(new SpfPolicy(SpfPolicy.FailAction.REJECT, true, List.of()), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            assertTrue(deliver(c, "x@slow.test").startsWith("Received-SPF: temperror ("));
        }
    }

    @Test
    void failActionTagAcceptsAFailAndTagsIt() throws Exception {
        try (Wire c = connect(new SpfPolicy(SpfPolicy.FailAction.TAG, false, List.of()), SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            assertTrue(deliver(c, "x@strict.test").startsWith("Received-SPF: fail ("));
        }
    }

    @Test
    void aTrustedNetworkIsNotChecked() throws Exception {
        SpfPolicy trusted = new SpfPolicy(SpfPolicy.FailAction.REJECT, false, List.of(Cidr.parse("127.0.0.0/8")));
        try (Wire c = connect(trusted, SmtpMode.MX)) {
            c.send("EHLO client.example.org").expect("250-");
            String msg = deliver(c, "x@strict.test");
            assertFalse(msg.contains("Received-SPF"), msg);
        }
        assertEquals(0, dns.queries.get());
    }

    @Test
    void anAuthenticatedSubmissionIsNotChecked() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.SUBMISSION)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("AUTH PLAIN " + ALICE_PLAIN).expect("235 ");
            c.send("MAIL FROM:<alice@example.com>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<x@strict.test>").expect("250 2.1.5 Ok");
        }
        assertEquals(0, dns.queries.get());
    }

    @Test
    void theSubmissionPortLeavesTheCheckOutEvenBeforeAuth() throws Exception {
        try (Wire c = connect(policy(), SmtpMode.SUBMISSION)) {
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<x@strict.test>").expect("250 2.1.0 Ok");
        }
        assertEquals(0, dns.queries.get());
    }
}
