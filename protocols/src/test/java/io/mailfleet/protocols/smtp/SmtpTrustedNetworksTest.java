package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.netty.AcceptGuard;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Trusted networks over real sockets, 127.0.0.2 standing for an Internet client: the loopback default
 * trusts it, an explicit 127.0.0.1/32 does not (relay refused, pregreet test applied) while 127.0.0.1
 * keeps relaying with a bare HELO and skipping the test.
 */
class SmtpTrustedNetworksTest {

    @TempDir
    Path dir;
    private SmtpFixture fx;
    private SmtpServer server;

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

    private void start(String... trusted) {
        SmtpSettings settings = SmtpFixture.custom(SmtpMode.MX, SmtpSettings.DEFAULT_MESSAGE_SIZE,
                Duration.ofSeconds(300), BareNewlinePolicy.REJECT, false, List.of(trusted).stream().map(Cidr::parse).toList());
        server = SmtpServer.start(settings, new SmtpServices(TestCollaborators.directory(),
                        TestCollaborators.authenticator(), fx.blobs, fx.queue, TestCollaborators.usage(), fx.tls,
                        AcceptGuard.none()), 0, LoginPolicy.DEFAULTS,
                Postscreen.local(new PostscreenSettings(true, PostscreenAction.DROP, Duration.ofSeconds(1),
                        Duration.ofHours(1))));
    }

    /** Connects from {@code from}, returns the first banner line and the reply to a relay attempt. */
    private List<String> relayFrom(String from, String helo) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String first = in.readLine();
            String l = first;
            while (l.startsWith("220-")) {
                l = in.readLine();
            }
            String script = "HELO " + helo + "\r\nMAIL FROM:<app@example.com>\r\nRCPT TO:<someone@elsewhere.example>\r\nQUIT\r\n";
            s.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
            assertTrue(in.readLine().startsWith("250 "));
            assertEquals("250 2.1.0 Ok", in.readLine());
            return List.of(first, in.readLine());
        }
    }

    @Test
    void theLoopbackNetworkTrustsEveryLoopbackAddress() throws Exception {
        start("127.0.0.0/8", "::1/128");
        for (String from : List.of("127.0.0.1", "127.0.0.2")) {
            List<String> r = relayFrom(from, "localhost");
            assertEquals("220 " + SmtpFixture.HOST + " ESMTP", r.get(0), from);
            assertEquals("250 2.1.5 Ok", r.get(1), from);
        }
    }

    @Test
    void anExplicitSingleAddressLeavesTheRestOfLoopbackUntrusted() throws Exception {
        start("127.0.0.1/32");
        List<String> trusted = relayFrom("127.0.0.1", "localhost");
        assertEquals("220 " + SmtpFixture.HOST + " ESMTP", trusted.get(0));
        assertEquals("250 2.1.5 Ok", trusted.get(1));
        List<String> outsider = relayFrom("127.0.0.2", "client.example.org");
        assertEquals("220-" + SmtpFixture.HOST + " ESMTP", outsider.get(0), "the pregreet test applies");
        assertEquals("554 5.7.1 <someone@elsewhere.example>: Relay access denied", outsider.get(1));
        // a local program's bare HELO is only accepted from a trusted network
        assertEquals("504 5.5.2 <localhost>: Helo command rejected: need fully-qualified hostname",
                relayFrom("127.0.0.2", "localhost").get(1));
    }
}
