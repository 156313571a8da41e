package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.ConnectAttempt;
import io.mailfleet.protocols.smtp.check.MailAttempt;
import io.mailfleet.protocols.smtp.check.RcptAttempt;
import io.mailfleet.protocols.smtp.check.SmtpChecks;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stage checks plugged into a real listener through {@link SmtpServices#withChecks}: they run after
 * the built-in rules, may answer later (the session waits and keeps pipelined replies in order), and
 * their refusal is what the client gets.
 */
class SmtpStageChecksTest {

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private SmtpServer server;
    /** What the checks were asked, in order. */
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void fixture() throws Exception {
        fx = new SmtpFixture(dir, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fx.close();
    }

    private SmtpServer start(SmtpChecks checks) {
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                AcceptGuard.none()).withChecks(checks));
        return server;
    }

    /** Answers after 200 ms on another thread, as a DNS or cluster look-up would. */
    private static CompletableFuture<CheckResult> later(CheckResult result) {
        return CompletableFuture.supplyAsync(() -> result, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
    }

    private static final SmtpReply GREYLISTED = new SmtpReply(450, "4.2.0", "Recipient address rejected: Greylisted");

    @Test
    void aLateRcptRefusalIsAnsweredInPipelineOrderAndLeavesTheRecipientOut() throws Exception {
        start(SmtpChecks.NONE.withRcpt((RcptAttempt a) -> {
            seen.add(a.recipient() + " relay=" + a.relay() + " accounts=" + a.localAccounts());
            return later(a.recipient().equals("bob@example.com") ? CheckResult.refuse(GREYLISTED, "greylisted")
                    : CheckResult.ACCEPT);
        }));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.write("MAIL FROM:<sender@example.org>\r\nRCPT TO:<bob@example.com>\r\nRCPT TO:<alice@example.com>\r\n"
                    + "RCPT TO:<nobody@example.com>\r\nDATA\r\n");
            c.expect("250 2.1.0 Ok");
            c.expect("450 4.2.0 Recipient address rejected: Greylisted");
            c.expect("250 2.1.5 Ok");
            // refused by the directory before any stage check is asked
            c.expect("550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in virtual mailbox table");
            c.expect("354 ");
            c.write("Subject: hi\r\n\r\nbody\r\n.\r\n");
            c.expect("250 2.0.0 Ok: queued as ");
        }
        assertEquals(List.of("bob@example.com relay=false accounts=[bob@example.com]",
                "alice@example.com relay=false accounts=[alice@example.com]"), seen);
        assertEquals(1, fx.queue.entries.size());
        assertEquals("alice@example.com", fx.queue.entries.get(0).envelope().recipients().get(0).address());
        assertEquals(1, fx.queue.entries.get(0).envelope().recipients().size());
    }

    @Test
    void aMailRefusalOpensNoTransaction() throws Exception {
        start(SmtpChecks.NONE.withMail((MailAttempt a) -> {
            seen.add(a.request().sender() + " helo=" + a.client().helo() + " ip=" + a.client().remoteIp());
            return later(a.request().sender().endsWith("@spf-fail.example")
                    ? CheckResult.refuse(new SmtpReply(550, "5.7.23", "SPF validation failed"), "spf fail")
                    : CheckResult.ACCEPT);
        }));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<forged@spf-fail.example>").expect("550 5.7.23 SPF validation failed");
            c.send("RCPT TO:<alice@example.com>").expect("503 5.5.1 Error: need MAIL command");
            // syntax errors are answered by the parser; the check is not asked
            c.send("MAIL FROM:<a@example.org> BODY=9BIT").expect("501 5.5.4 Bad BODY keyword value");
            c.send("MAIL FROM:<good@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("250 2.1.5 Ok");
        }
        assertEquals(List.of("forged@spf-fail.example helo=client.example.org ip=127.0.0.1",
                "good@example.org helo=client.example.org ip=127.0.0.1"), seen);
    }

    @Test
    void aConnectRefusalClosesBeforeTheBanner() throws Exception {
        start(SmtpChecks.NONE.withConnect((ConnectAttempt a) -> {
            seen.add(a.client().remoteIp());
            return later(CheckResult.refuse(new SmtpReply(554, "5.7.1", "Service unavailable; client rejected"),
                    "screened"));
        }));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("554 5.7.1 Service unavailable; client rejected");
            assertTrue(c.closedByServer());
        }
        assertEquals(List.of("127.0.0.1"), seen);
    }

    @Test
    void aFailingCheckDefersInsteadOfAccepting() throws Exception {
        start(SmtpChecks.NONE.withRcpt(a -> CompletableFuture.failedFuture(new IllegalStateException("policy down")))
                .withRcpt(a -> {
                    seen.add("second check asked");
                    return CompletableFuture.completedFuture(CheckResult.ACCEPT);
                }));
        try (Wire c = Wire.smtp(server.port())) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<sender@example.org>").expect("250 2.1.0 Ok");
            c.send("RCPT TO:<alice@example.com>").expect("451 4.3.5 Server configuration problem");
            c.send("DATA").expect("554 5.5.1 Error: no valid recipients");
        }
        assertEquals(List.of(), seen);
    }
}
