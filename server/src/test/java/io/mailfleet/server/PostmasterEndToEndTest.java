package io.mailfleet.server;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.protocols.smtp.SmtpMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5321 §4.5.1: {@code RCPT TO:<postmaster>} without a domain must be accepted (any case); it reaches the
 * mailbox of {@code POSTMASTER_ADDRESS}. Over a plain socket to a real node (issue 12: it got 550 5.1.1).
 */
class PostmasterEndToEndTest {

    @TempDir
    Path data;

    @Test
    void barePostmasterIsAcceptedAndDeliveredToThePostmasterAddress() throws Exception {
        Map<String, String> env = TestServers.env(data, Map.of("POSTMASTER_ADDRESS", "admin@example.com"));
        try (MailfleetServer server = TestServers.start(env, new FirstAccount("admin@example.com", "secret", false))) {
            int port = server.listeners().smtpPorts().get(SmtpMode.MX);
            for (String rcpt : List.of("postmaster", "PostMaster")) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(30_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                    OutputStream out = s.getOutputStream();
                    expect(in, "220");
                    command(out, in, "EHLO client.remote.example", "250");
                    command(out, in, "MAIL FROM:<sender@remote.example>", "250");
                    command(out, in, "RCPT TO:<" + rcpt + ">", "250");
                    command(out, in, "DATA", "354");
                    command(out, in, "Subject: to " + rcpt + "\r\n\r\nhello postmaster\r\n.", "250");
                    command(out, in, "QUIT", "221");
                }
            }
            List<MessageMeta> inbox = SmtpDeliveryEndToEndTest.awaitInbox(server, "admin@example.com", 2);
            int found = 0;
            for (MessageMeta meta : inbox) {
                try (InputStream in = server.blobs().open(meta.blob())) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    found += text.contains("Subject: to postmaster") || text.contains("Subject: to PostMaster") ? 1 : 0;
                }
            }
            assertTrue(found == 2, "both messages to <postmaster> are in admin@example.com's INBOX: " + found);
        }
    }

    private static void command(OutputStream out, BufferedReader in, String line, String code) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(in, code);
    }

    /** Reads a (possibly multi-line) reply and checks its code. */
    private static void expect(BufferedReader in, String code) throws Exception {
        String line;
        StringBuilder all = new StringBuilder();
        do {
            line = in.readLine();
            all.append(line).append('\n');
        } while (line != null && line.length() > 3 && line.charAt(3) == '-');
        assertTrue(line != null && line.startsWith(code), "expected " + code + ", got " + all);
    }
}
