package io.mailfleet.server;

import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A real node configured as a docker-mailserver user would: {@code POSTFIX_INET_PROTOCOLS=ipv4} keeps
 * port 25 off IPv6 while IMAP (Dovecot's default {@code all}) serves it; {@code TRUSTED_NETWORKS=127.0.0.1/32}
 * leaves 127.0.0.2 an Internet client, which meets the pregreet test and {@code POSTSCREEN_ACTION=drop}.
 */
class ConnectionDefencesEndToEndTest {

    @TempDir
    Path data;

    private static Socket connect(String from, String to, int port) throws IOException {
        Socket s = new Socket();
        if (from != null) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        }
        s.connect(new InetSocketAddress(to, port));
        s.setSoTimeout(20_000);
        return s;
    }

    private static BufferedReader reader(Socket s) throws IOException {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void familiesTrustAndPregreetAsConfigured() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_BIND_ADDRESS", "0.0.0.0",
                "POSTFIX_INET_PROTOCOLS", "ipv4",
                "TRUSTED_NETWORKS", "127.0.0.1/32",
                "MAILFLEET_POSTSCREEN", "true",
                "POSTSCREEN_ACTION", "drop",
                "MAILFLEET_POSTSCREEN_GREET_WAIT", "3s"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            MailListeners l = server.listeners();
            int mx = l.smtpPorts().get(SmtpMode.MX);

            assertThrows(ConnectException.class, () -> connect(null, "::1", mx).close(), "[::1]:25 with ipv4");
            try (Socket imap = connect(null, "::1", l.imapPorts().get(false))) {
                assertEquals("* OK", reader(imap).readLine().substring(0, 4));
            }

            try (Socket trusted = connect("127.0.0.1", "127.0.0.1", mx)) {
                assertEquals("220 ", reader(trusted).readLine().substring(0, 4), "trusted: no pregreet test");
            }
            try (Socket bot = connect("127.0.0.2", "127.0.0.1", mx)) {
                BufferedReader in = reader(bot);
                assertEquals("220-", in.readLine().substring(0, 4));
                bot.getOutputStream().write("EHLO bot.example.net\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("521 5.5.1 Protocol error", in.readLine());
                assertNull(in.readLine());
            }
        }
    }
}
