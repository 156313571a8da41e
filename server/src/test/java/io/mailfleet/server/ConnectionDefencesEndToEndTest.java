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

    /** Whether the server ended the connection without a byte (a reset at accept reads as one too). */
    private static boolean endedWithoutAByte(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    /**
     * {@code POSTFIX_INET_PROTOCOLS=ipv6} over this machine's IPv6 loopback: port 25 answers {@code [::1]}
     * and resets 127.0.0.1 before a banner (Java cannot make the socket IPv6-only, so IPv4 clients are
     * reset at accept); {@code DOVECOT_INET_PROTOCOLS=ipv4} leaves IMAP on 127.0.0.1 only. Needs the IPv6
     * loopback, as the test above; the choice of addresses on a host without IPv6 is proven in
     * {@code ConnectionDefencesConfigTest}.
     */
    @Test
    void ipv6OnlySmtpAndIpv4OnlyImap() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of(
                "MAILFLEET_BIND_ADDRESS", "::",
                "POSTFIX_INET_PROTOCOLS", "ipv6",
                "DOVECOT_INET_PROTOCOLS", "ipv4",
                "TRUSTED_NETWORKS", "127.0.0.1/32"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("user@example.com", "secret", false))) {
            MailListeners l = server.listeners();
            int mx = l.smtpPorts().get(SmtpMode.MX);
            try (Socket v6 = connect(null, "::1", mx)) {
                assertEquals("220 ", reader(v6).readLine().substring(0, 4), "[::1]:25 with ipv6");
            }
            try (Socket v4 = connect("127.0.0.1", "127.0.0.1", mx)) {
                assertEquals(true, endedWithoutAByte(v4), "127.0.0.1:25 with ipv6 gets no banner");
            }
            int submission = l.smtpPorts().get(SmtpMode.SUBMISSION);
            try (Socket v4 = connect("127.0.0.1", "127.0.0.1", submission)) {
                assertEquals(true, endedWithoutAByte(v4), "every SMTP port follows POSTFIX_INET_PROTOCOLS");
            }
            int imap = l.imapPorts().get(false);
            try (Socket v4 = connect(null, "127.0.0.1", imap)) {
                assertEquals("* OK", reader(v4).readLine().substring(0, 4), "IMAP on IPv4");
            }
            assertThrows(ConnectException.class, () -> connect(null, "::1", imap).close(), "[::1]:143 with ipv4");
        }
    }
}
