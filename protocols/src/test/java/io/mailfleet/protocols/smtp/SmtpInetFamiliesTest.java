package io.mailfleet.protocols.smtp;

import io.mailfleet.protocols.netty.AcceptGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The two bind addresses the inet-protocols settings choose between, over real sockets: {@code 0.0.0.0}
 * (ipv4) refuses [::1], {@code ::} (all) serves IPv4 and IPv6 clients.
 */
class SmtpInetFamiliesTest {

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

    private void start(String bind) {
        server = SmtpServer.start(SmtpFixture.settings(SmtpMode.MX).withBind(bind, 0), new SmtpServices(
                TestCollaborators.directory(), TestCollaborators.authenticator(), fx.blobs, fx.queue,
                TestCollaborators.usage(), fx.tls, AcceptGuard.none()));
    }

    private String banner(String host) throws IOException {
        try (Socket s = new Socket(host, server.port())) {
            s.setSoTimeout(20_000);
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void ipv4OnlyRefusesTheIpv6Loopback() throws Exception {
        start("0.0.0.0");
        assertEquals("220 " + SmtpFixture.HOST + " ESMTP", banner("127.0.0.1"));
        assertThrows(ConnectException.class, () -> banner("::1"));
    }

    @Test
    void allServesBothFamilies() throws Exception {
        start("::");
        assertEquals("220 " + SmtpFixture.HOST + " ESMTP", banner("127.0.0.1"));
        assertEquals("220 " + SmtpFixture.HOST + " ESMTP", banner("::1"));
    }
}
