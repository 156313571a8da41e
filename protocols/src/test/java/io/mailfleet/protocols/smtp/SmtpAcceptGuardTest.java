package io.mailfleet.protocols.smtp;

import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.BanIndex;
import io.mailfleet.core.ban.BanPolicy;
import io.mailfleet.core.ban.BanService;
import io.mailfleet.core.ban.BlockType;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.core.ban.Jail;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.netty.ProxyProtocol;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real SMTP listener with the ban filter and the PROXY protocol in front, over real sockets. */
class SmtpAcceptGuardTest {

    @TempDir
    Path dir;

    private SmtpFixture fixture;
    private SmtpServer server;

    /** A ban list whose bans are set by the test; the lookup is the real {@link BanIndex}. */
    static final class FixedBans implements BanService {
        final List<Ban> bans = new CopyOnWriteArrayList<>();
        final List<String> reports = new CopyOnWriteArrayList<>();
        final BlockType type;

        FixedBans(BlockType type) {
            this.type = type;
        }

        void add(String network) {
            Instant now = Instant.now();
            bans.add(new Ban(IpNetwork.parse(network).toString(), Jail.CUSTOM, now, now.plusSeconds(3600), "test"));
        }

        @Override
        public CompletionStage<io.mailfleet.core.ban.FailureReport> reportFailure(String ip, String protocol, String reason) {
            reports.add(ip + " " + protocol + " " + reason);
            return CompletableFuture.completedFuture(io.mailfleet.core.ban.FailureReport.NOT_COUNTED);
        }

        @Override
        public boolean isBanned(InetAddress address) {
            return BanIndex.of(bans).isBanned(address, System.currentTimeMillis());
        }

        @Override
        public BlockType blockType() {
            return type;
        }

        @Override
        public CompletionStage<Ban> ban(String ipOrNetwork, boolean force) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletionStage<List<Jail>> unban(String ipOrNetwork) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException());
        }

        @Override
        public CompletionStage<List<Ban>> bans() {
            return CompletableFuture.completedFuture(List.copyOf(bans));
        }

        @Override
        public BanPolicy policy() {
            return BanPolicy.defaults();
        }
    }

    @BeforeEach
    void fixture() throws IOException {
        fixture = new SmtpFixture(dir, false);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        fixture.close();
    }

    private int start(AcceptGuard guard) {
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX), new SmtpServices(TestCollaborators.directory(),
                TestCollaborators.authenticator(), fixture.blobs, fixture.queue, TestCollaborators.usage(), fixture.tls, guard));
        return server.port();
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Everything the server sends until it closes the connection. */
    private static String readAll(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] b = new byte[512];
        int n;
        while ((n = in.read(b)) >= 0) {
            out.write(b, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** Sends one message to alice through an open session whose banner was not read yet. */
    private static void sendMail(Socket s) throws IOException {
        Wire smtp = Wire.over(Wire.Protocol.SMTP, s);
        smtp.expect("220 ");
        smtp.send("HELO client.example").expect("250");
        for (String cmd : List.of("MAIL FROM:<x@remote.example>", "RCPT TO:<alice@example.com>")) {
            smtp.send(cmd).expect("250");
        }
        smtp.send("DATA").expect("354");
        smtp.write("Subject: hi\r\n\r\nbody\r\n.\r\n").expect("250");
        smtp.send("QUIT");
    }

    private String lastClientAddress() {
        TestCollaborators.RecordingQueue q = fixture.queue;
        return q.entries.get(q.entries.size() - 1).envelope().remoteAddress();
    }

    @Test
    void protocolAbuseIsReportedForThePostfixJail() throws Exception {
        FixedBans bans = new FixedBans(BlockType.DROP);
        int port = start(AcceptGuard.of(bans, null));
        try (Wire c = Wire.smtp(port)) {
            c.expect("220 ");
            c.send("EHLO client.example.org").expect("250-");
            c.send("MAIL FROM:<someone@remote.example>").expect("250 ");
            c.send("RCPT TO:<nobody@example.com>").expect("550 5.1.1");
            c.send("RCPT TO:<someone@elsewhere.example>").expect("554 5.7.1");
            c.send("RCPT TO:<full@example.com>").expect("552 5.2.2");
            c.send("RCPT TO:<alice@example.com>").expect("250 ");
        }
        try (Wire c = Wire.smtp(port)) {
            c.expect("220 ");
            c.send("EHLO localhost").expect("250-");
            c.send("MAIL FROM:<someone@remote.example>").expect("250 ");
            c.send("RCPT TO:<alice@example.com>").expect("504 5.5.2");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (bans.reports.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(3, bans.reports.size(), "unknown user, relay attempt and non-FQDN HELO; not the full mailbox: "
                + bans.reports);
        assertTrue(bans.reports.stream().allMatch(r -> r.startsWith("127.0.0.1 smtp-protocol ")), bans.reports.toString());
        assertTrue(bans.reports.get(2).endsWith("non-FQDN HELO"), bans.reports.toString());
    }

    @Test
    void bannedClientIsDroppedBeforeTheBanner() throws Exception {
        FixedBans bans = new FixedBans(BlockType.DROP);
        int port = start(AcceptGuard.of(bans, null));
        try (Socket s = connect(port)) {
            Wire.over(Wire.Protocol.SMTP, s).expect("220 ");
        }
        bans.add("127.0.0.0/24");
        try (Socket s = connect(port)) {
            assertEquals("", readAll(s), "a banned client gets no byte, just the close");
        }
        bans.bans.clear();
        try (Socket s = connect(port)) {
            sendMail(s);
        }
        assertEquals("127.0.0.1", lastClientAddress());
    }

    @Test
    void rejectResetsTheConnection() throws Exception {
        FixedBans bans = new FixedBans(BlockType.REJECT);
        bans.add("127.0.0.1");
        int port = start(AcceptGuard.of(bans, null));
        try (Socket s = connect(port)) {
            SocketException e = assertThrows(SocketException.class, () -> readAll(s));
            assertTrue(e.getMessage().toLowerCase().contains("reset"), e.getMessage());
        }
    }

    @Test
    void proxyV1FromATrustedProxySetsTheClientAddress() throws Exception {
        FixedBans bans = new FixedBans(BlockType.DROP);
        int port = start(AcceptGuard.of(bans, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.0/8")))));
        try (Socket s = connect(port)) {
            s.getOutputStream().write("PROXY TCP4 203.0.113.7 192.0.2.1 40000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            sendMail(s);
        }
        assertEquals("203.0.113.7", lastClientAddress());

        // The ban filter judges the proxied client, not the proxy.
        bans.add("203.0.113.66");
        try (Socket s = connect(port)) {
            s.getOutputStream().write("PROXY TCP4 203.0.113.66 192.0.2.1 40001 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("", readAll(s));
        }
        try (Socket s = connect(port)) {
            // LOCAL-style "UNKNOWN" header: the proxy's own address is the client.
            s.getOutputStream().write("PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII));
            sendMail(s);
        }
        assertEquals("127.0.0.1", lastClientAddress());
    }

    @Test
    void proxyV2FromATrustedProxySetsAnIpv6ClientAddress() throws Exception {
        int port = start(AcceptGuard.of(null, ProxyProtocol.trusting(List.of(Cidr.parse("127.0.0.1")))));
        try (Socket s = connect(port)) {
            s.getOutputStream().write(v2Header("2001:db8::7", "2001:db8::25", 40000, 25));
            sendMail(s);
        }
        assertEquals("2001:db8:0:0:0:0:0:7", lastClientAddress());
    }

    @Test
    void proxyHeaderFromAnUntrustedPeerIsRejected() throws Exception {
        int port = start(AcceptGuard.of(null, ProxyProtocol.trusting(List.of(Cidr.parse("10.0.0.0/8")))));
        try (Socket s = connect(port)) {
            s.getOutputStream().write("PROXY TCP4 203.0.113.7 192.0.2.1 40000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("", readAll(s), "no banner for an untrusted proxy");
        }
        try (Socket s = connect(port)) {
            s.getOutputStream().write(v2Header("2001:db8::7", "2001:db8::25", 40000, 25));
            assertEquals("", readAll(s));
        }
        assertEquals(0, fixture.queue.entries.size());
    }

    @Test
    void connectionWithoutProxyHeaderIsRejected() throws Exception {
        int port = start(AcceptGuard.of(null, new ProxyProtocol(List.of(Cidr.parse("127.0.0.0/8")), Duration.ofMillis(300))));
        try (Socket s = connect(port)) {
            // A direct SMTP client waits for the banner: it never comes, the header timeout closes.
            assertEquals("", readAll(s));
        }
        try (Socket s = connect(port)) {
            s.getOutputStream().write("EHLO client.example\r\nMAIL FROM:<x@remote.example>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("", readAll(s), "SMTP instead of a PROXY header");
        }
        try (Socket s = connect(port)) {
            s.getOutputStream().write("PROXY TCP4 not-an-ip 192.0.2.1 40000 25\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("", readAll(s), "malformed PROXY header");
        }
    }

    /** A PROXY protocol v2 header: PROXY command, TCP over IPv6. */
    static byte[] v2Header(String src, String dst, int srcPort, int dstPort) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16 + 36);
        b.put(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21);
        b.put((byte) 0x21);
        b.putShort((short) 36);
        b.put(InetAddress.getByName(src).getAddress());
        b.put(InetAddress.getByName(dst).getAddress());
        b.putShort((short) srcPort);
        b.putShort((short) dstPort);
        return b.array();
    }
}
