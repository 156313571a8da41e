package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboundClientTest {

    private static final byte[] MESSAGE = ("Subject: hi\nFrom: a@src.test\n\nline one\n.leading dot\r\nbare cr\rend")
            .getBytes(StandardCharsets.UTF_8);
    private static final String EXPECTED = "Subject: hi\r\nFrom: a@src.test\r\n\r\nline one\r\n.leading dot\r\nbare cr\r\nend\r\n";

    private final List<SinkSmtpServer> sinks = new ArrayList<>();
    private OutboundClient client;

    @BeforeEach
    void start() {
        client = new OutboundClient(OutboundSettings.defaults().withTimeouts(OutboundTimeouts.uniform(Duration.ofSeconds(3))));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        for (SinkSmtpServer s : sinks) {
            s.close();
        }
    }

    private SinkSmtpServer sink() throws Exception {
        SinkSmtpServer s = new SinkSmtpServer();
        sinks.add(s);
        return s;
    }

    private static OutboundEnvelope envelope(String... rcpts) {
        List<EnvelopeRecipient> r = new ArrayList<>();
        for (String a : rcpts) {
            r.add(EnvelopeRecipient.of(a));
        }
        return new OutboundEnvelope("sender@src.test", r, null, null, BodyType.SEVEN_BIT, false);
    }

    private static Delivery delivery(List<TargetHost> hosts, OutboundEnvelope env, TlsPolicy tls, SaslCredentials c) {
        return new Delivery("dest.test", hosts, "mail.src.test", env, MessageSource.of(MESSAGE), tls, c);
    }

    private DeliveryResult deliver(Delivery d) {
        return client.deliver(d).toCompletableFuture().join();
    }

    @Test
    void deliversWithPipeliningDotStuffingAndCrlf() throws Exception {
        SinkSmtpServer mx = sink();
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx.dest.test")), envelope("a@dest.test", "b@dest.test"),
                TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertEquals("250 2.0.0 Ok: queued", r.recipients().get(0).diagnostic().replaceAll(".* said: ", "")
                .replace(" (in reply to end of DATA command)", ""));
        assertEquals("2.0.0", r.recipients().get(0).status());
        SinkSmtpServer.Received m = mx.received.get(0);
        assertEquals("<sender@src.test>", m.mailFrom());
        assertEquals(List.of("<a@dest.test>", "<b@dest.test>"), m.rcptTo());
        assertEquals(EXPECTED, m.text());
        assertTrue(m.pipelined());
        assertTrue(mx.commands.contains("EHLO mail.src.test"));
    }

    @Test
    void heloFallbackWithoutPipelining() throws Exception {
        SinkSmtpServer mx = sink();
        mx.ehlo = false;
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertTrue(mx.commands.contains("HELO mail.src.test"));
        assertFalse(mx.received.get(0).pipelined());
        assertTrue(mx.commands.contains("MAIL FROM:<sender@src.test>"), mx.commands.toString());
    }

    @Test
    void perRecipientMixedResults() throws Exception {
        SinkSmtpServer mx = sink();
        mx.rcptReply = a -> a.startsWith("<temp") ? "450 4.2.0 mailbox busy"
                : a.startsWith("<gone") ? "550 5.1.1 no such user" : "250 2.1.5 Ok";
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("ok@dest.test", "temp@dest.test",
                "gone@dest.test"), TlsPolicy.MAY, null));
        assertEquals(List.of(Outcome.DELIVERED, Outcome.TEMPORARY, Outcome.PERMANENT),
                r.recipients().stream().map(RecipientResult::outcome).toList());
        assertEquals("4.2.0", r.recipients().get(1).status());
        assertEquals("5.1.1", r.recipients().get(2).status());
        assertTrue(r.recipients().get(2).diagnostic().contains("550 5.1.1 no such user (in reply to RCPT TO command)"),
                r.recipients().get(2).diagnostic());
        assertEquals(List.of("<ok@dest.test>"), mx.received.get(0).rcptTo());
    }

    @Test
    void allRecipientsRejectedSendsNoContent() throws Exception {
        SinkSmtpServer mx = sink();
        mx.rcptReply = a -> "550 5.1.1 no such user";
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("x@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.PERMANENT, r.recipients().get(0).outcome());
        assertTrue(mx.received.isEmpty());
    }

    @Test
    void transientAndPermanentDataEndReplies() throws Exception {
        SinkSmtpServer mx = sink();
        mx.dataEndReply = "451 4.3.0 try later";
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.TEMPORARY, r.recipients().get(0).outcome());
        assertEquals("4.3.0", r.recipients().get(0).status());
        mx.dataEndReply = "554 5.7.1 rejected as spam";
        r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.PERMANENT, r.recipients().get(0).outcome());
        assertTrue(r.recipients().get(0).diagnostic().contains("rejected as spam"));
    }

    @Test
    void mailFromRejectedPermanentlyAndTemporarilyMovesOn() throws Exception {
        SinkSmtpServer first = sink();
        SinkSmtpServer second = sink();
        first.mailReply = "451 4.7.1 greylisted";
        DeliveryResult r = deliver(delivery(List.of(first.target("mx1"), second.target("mx2")),
                envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertEquals(1, second.received.size());
        second.mailReply = "553 5.7.1 sender rejected";
        r = deliver(delivery(List.of(second.target("mx2")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.PERMANENT, r.recipients().get(0).outcome());
        assertEquals("5.7.1", r.recipients().get(0).status());
    }

    @Test
    void connectionRefusedOnFirstHostUsesSecond() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SinkSmtpServer second = sink();
        TargetHost dead = new TargetHost("mx1.dest.test", List.of(InetAddress.getLoopbackAddress()), closedPort);
        DeliveryResult r = deliver(delivery(List.of(dead, second.target("mx2.dest.test")), envelope("a@dest.test"),
                TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertTrue(r.remoteHost().startsWith("mx2.dest.test[127.0.0.1]"), r.remoteHost());
    }

    @Test
    void allHostsDownIsTemporary() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        SinkSmtpServer busy = sink();
        busy.greeting = "421 4.3.2 too busy";
        TargetHost dead = new TargetHost("mx1", List.of(InetAddress.getLoopbackAddress()), closedPort);
        DeliveryResult r = deliver(delivery(List.of(dead, busy.target("mx2")), envelope("a@dest.test"),
                TlsPolicy.MAY, null));
        RecipientResult rr = r.recipients().get(0);
        assertEquals(Outcome.TEMPORARY, rr.outcome());
        assertEquals("4.3.2", rr.status());
        assertTrue(rr.diagnostic().contains("connect to mx1") && rr.diagnostic().contains("too busy"), rr.diagnostic());
        assertNull(r.remoteHost());
    }

    @Test
    void opportunisticTlsIsUsedWhenOffered() throws Exception {
        SinkSmtpServer mx = sink();
        mx.starttls = true;
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertTrue(r.tls());
        assertTrue(mx.received.get(0).tls());
        assertEquals(EXPECTED, mx.received.get(0).text());
    }

    @Test
    void opportunisticTlsFallsBackToPlaintextWhenNotOffered() throws Exception {
        SinkSmtpServer mx = sink();
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertTrue(r.allDelivered());
        assertFalse(mx.received.get(0).tls());
    }

    @Test
    void encryptWithoutStarttlsStaysDeferred() throws Exception {
        SinkSmtpServer relay = sink();
        DeliveryResult r = deliver(delivery(List.of(relay.target("relay")), envelope("a@dest.test"), TlsPolicy.ENCRYPT,
                new SaslCredentials("user", "secret")));
        RecipientResult rr = r.recipients().get(0);
        assertEquals(Outcome.TEMPORARY, rr.outcome());
        assertEquals("4.7.4", rr.status());
        assertTrue(rr.diagnostic().contains("TLS is required but was not offered"), rr.diagnostic());
        assertTrue(relay.received.isEmpty());
        assertTrue(relay.commands.stream().noneMatch(c -> c.startsWith("AUTH") || c.startsWith("MAIL")));
    }

    @Test
    void authPlainOverTlsWithEncrypt() throws Exception {
        SinkSmtpServer relay = sink();
        relay.starttls = true;
        relay.authUser = "user@src.test";
        relay.authPassword = "s3cret";
        DeliveryResult r = deliver(delivery(List.of(relay.target("relay")), envelope("a@dest.test"), TlsPolicy.ENCRYPT,
                new SaslCredentials("user@src.test", "s3cret")));
        assertTrue(r.allDelivered(), r.toString());
        SinkSmtpServer.Received m = relay.received.get(0);
        assertTrue(m.tls());
        assertEquals("user@src.test", m.authUser());
    }

    @Test
    void wrongPasswordIsTemporary() throws Exception {
        SinkSmtpServer relay = sink();
        relay.starttls = true;
        relay.authUser = "user";
        relay.authPassword = "right";
        DeliveryResult r = deliver(delivery(List.of(relay.target("relay")), envelope("a@dest.test"), TlsPolicy.ENCRYPT,
                new SaslCredentials("user", "wrong")));
        assertEquals(Outcome.TEMPORARY, r.recipients().get(0).outcome());
        assertTrue(r.recipients().get(0).diagnostic().contains("SASL authentication failed"));
    }

    @Test
    void credentialsAreNeverSentInClear() throws Exception {
        SinkSmtpServer relay = sink();
        relay.authUser = "user";
        relay.authPassword = "pw";
        DeliveryResult r = deliver(delivery(List.of(relay.target("relay")), envelope("a@dest.test"), TlsPolicy.MAY,
                new SaslCredentials("user", "pw")));
        assertEquals(Outcome.TEMPORARY, r.recipients().get(0).outcome());
        assertTrue(r.recipients().get(0).diagnostic().contains("without TLS"));
        assertTrue(relay.commands.stream().noneMatch(c -> c.startsWith("AUTH")));
    }

    @Test
    void sizeLimitFailsWithoutSending() throws Exception {
        SinkSmtpServer mx = sink();
        mx.sizeLimit = 10;
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.PERMANENT, r.recipients().get(0).outcome());
        assertEquals("5.3.4", r.recipients().get(0).status());
        assertTrue(mx.commands.stream().noneMatch(c -> c.startsWith("MAIL")));
        // A new server: the client would reuse the first connection with its EHLO answer.
        mx = sink();
        mx.sizeLimit = 100000;
        deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertTrue(mx.commands.contains("MAIL FROM:<sender@src.test> SIZE=" + MESSAGE.length), mx.commands.toString());
    }

    @Test
    void eightBitMessageNeeds8bitmime() throws Exception {
        SinkSmtpServer mx = sink();
        mx.eightBitMime = false;
        OutboundEnvelope env = new OutboundEnvelope("s@src.test", List.of(EnvelopeRecipient.of("a@dest.test")), null,
                null, BodyType.EIGHT_BIT_MIME, false);
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), env, TlsPolicy.MAY, null));
        assertEquals(Outcome.PERMANENT, r.recipients().get(0).outcome());
        assertEquals("5.6.3", r.recipients().get(0).status());
        assertTrue(r.recipients().get(0).diagnostic().contains("does not support 8BITMIME"));
        mx = sink();
        r = deliver(delivery(List.of(mx.target("mx")), env, TlsPolicy.MAY, null));
        assertTrue(r.allDelivered());
        assertEquals("<s@src.test> BODY=8BITMIME", mx.received.get(0).mailFrom());
    }

    @Test
    void smtputf8AndDsnParameters() throws Exception {
        SinkSmtpServer mx = sink();
        OutboundEnvelope env = new OutboundEnvelope("jörg@src.test",
                List.of(new EnvelopeRecipient("a@dest.test", "SUCCESS,FAILURE", "rfc822;a@dest.test")), "HDRS",
                "id1", BodyType.SEVEN_BIT, false);
        DeliveryResult r = deliver(delivery(List.of(mx.target("mx")), env, TlsPolicy.MAY, null));
        assertEquals("5.6.7", r.recipients().get(0).status());
        mx = sink();
        mx.smtpUtf8 = true;
        mx.dsn = true;
        r = deliver(delivery(List.of(mx.target("mx")), env, TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        assertTrue(r.remoteDsn());
        assertEquals("<jörg@src.test> SMTPUTF8 RET=HDRS ENVID=id1", mx.received.get(0).mailFrom());
        assertEquals(List.of("<a@dest.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;a@dest.test"), mx.received.get(0).rcptTo());
    }

    @Test
    void connectionIsReusedForTheNextMessage() throws Exception {
        SinkSmtpServer mx = sink();
        for (int i = 0; i < 3; i++) {
            assertTrue(deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null))
                    .allDelivered());
        }
        assertEquals(3, mx.received.size());
        assertEquals(1, mx.accepted.get());
        assertEquals(2, mx.commands.stream().filter("RSET"::equals).count());
    }

    @Test
    void concurrencyPerDestinationIsCapped() throws Exception {
        client.close();
        client = new OutboundClient(OutboundSettings.defaults().withDestinationConcurrency(2)
                .withTimeouts(OutboundTimeouts.uniform(Duration.ofSeconds(10))));
        SinkSmtpServer mx = sink();
        CountDownLatch hold = new CountDownLatch(1);
        mx.holdDataEnd = hold;
        List<CompletableFuture<DeliveryResult>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(client.deliver(delivery(List.of(mx.target("mx")), envelope("a@dest.test"), TlsPolicy.MAY, null))
                    .toCompletableFuture());
        }
        while (client.waiting("dest.test") != 3 || mx.inTransaction.get() != 2) {
            Thread.sleep(10);
        }
        hold.countDown();
        for (CompletableFuture<DeliveryResult> f : results) {
            assertTrue(f.join().allDelivered());
        }
        assertEquals(2, mx.maxInTransaction.get());
        assertEquals(5, mx.received.size());
        assertTrue(mx.accepted.get() <= 2, "connections: " + mx.accepted.get());
    }

    @Test
    void silentServerTimesOutAndNextHostIsTried() throws Exception {
        client.close();
        client = new OutboundClient(OutboundSettings.defaults().withTimeouts(OutboundTimeouts.uniform(Duration.ofMillis(400))));
        SinkSmtpServer slow = sink();
        slow.silentAt = "EHLO";
        SinkSmtpServer ok = sink();
        DeliveryResult r = deliver(delivery(List.of(slow.target("slow"), ok.target("ok")), envelope("a@dest.test"),
                TlsPolicy.MAY, null));
        assertTrue(r.allDelivered(), r.toString());
        ok.close();
        slow.silentAt = "DATA-END";
        r = deliver(delivery(List.of(slow.target("slow")), envelope("a@dest.test"), TlsPolicy.MAY, null));
        assertEquals(Outcome.TEMPORARY, r.recipients().get(0).outcome());
        assertTrue(r.recipients().get(0).diagnostic().contains("timeout after end of DATA"),
                r.recipients().get(0).diagnostic());
    }
}
