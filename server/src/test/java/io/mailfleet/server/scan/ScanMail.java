package io.mailfleet.server.scan;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the scanner end-to-end tests send through a real node's port 25 and look for in its mailboxes. */
final class ScanMail {

    static final String ACCOUNT = "user@example.com";

    private ScanMail() {
    }

    /** A node's environment: loopback plays an Internet client; {@code conf} (HOCON) for keys without a variable. */
    static Map<String, String> env(Path data, Map<String, String> extra, String conf) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("TRUSTED_NETWORKS", "192.0.2.1/32"));
        env.putAll(extra);
        if (!conf.isEmpty()) {
            env.put("MAILFLEET_CONFIG", Files.writeString(data.resolveSibling(data.getFileName() + ".conf"),
                    conf).toString());
        }
        return TestServers.env(data, env);
    }

    /** A message with the text and, when not null, an attachment holding {@code attachment}. */
    static String message(String subject, String text, String attachment) {
        StringBuilder m = new StringBuilder("From: <sender@remote.example>\r\nTo: <" + ACCOUNT + ">\r\n"
                + "Subject: " + subject + "\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\n"
                + "Message-ID: <" + subject.hashCode() + "@remote.example>\r\nMIME-Version: 1.0\r\n");
        if (attachment == null) {
            return m.append("Content-Type: text/plain\r\n\r\n").append(text).append("\r\n").toString();
        }
        return m.append("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n")
                .append(text).append("\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Disposition: attachment; filename=\"file.com\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .append(Base64.getMimeEncoder().encodeToString(attachment.getBytes(StandardCharsets.US_ASCII)))
                .append("\r\n--b1--\r\n").toString();
    }

    /** Sends {@code message} from {@code source} to port 25 and returns the reply to the end of data. */
    static String send(MailfleetServer server, String source, String message) throws Exception {
        return sendFrom(server, source, "sender@remote.example", message);
    }

    /** Sends {@code message} with the envelope sender {@code from}; returns the reply to the end of data. */
    static String sendFrom(MailfleetServer server, String source, String from, String message) throws Exception {
        int port = server.listeners().smtpPorts().get(io.mailfleet.protocols.smtp.SmtpMode.MX);
        try (Wire c = Wire.from(Wire.Protocol.SMTP, source, port)) {
            Smtp.beginData(c, from, ACCOUNT);
            c.write(message);
            return Smtp.endData(c);
        }
    }

    static String send(MailfleetServer server, String message) throws Exception {
        return send(server, "127.0.0.1", message);
    }

    /** Waits until {@code folder} of the test account holds {@code count} messages; returns their texts. */
    static List<String> await(MailfleetServer server, String folder, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = server.node().mailboxes().messages(ACCOUNT, folder).toCompletableFuture().get(20, TimeUnit.SECONDS);
            if (got.size() >= count) {
                List<String> texts = new java.util.ArrayList<>();
                for (MessageMeta m : got) {
                    try (InputStream in = server.blobs().open(m.blob())) {
                        texts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
                return texts;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " messages in " + folder + ", found " + got.size());
    }

    /** The node's Prometheus text. */
    static String metrics(Map<String, String> env) throws Exception {
        String token = Files.readString(Path.of(env.get("MAILFLEET_DATA")).resolve("api-token")).strip();
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MAILFLEET_MANAGEMENT_PORT")
                + "/api/v1/metrics")).header("Authorization", "Bearer " + token).GET().build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).body();
    }
}
