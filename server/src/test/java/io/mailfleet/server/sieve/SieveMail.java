package io.mailfleet.server.sieve;

import io.mailfleet.cluster.mailbox.MessageMeta;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Raw SMTP sending and mailbox/queue polling for the Sieve end-to-end tests. */
final class SieveMail {
    private SieveMail() {
    }

    /** One SMTP transaction on the MX port; {@code from} "" sends the null sender. Fails unless queued. */
    static void send(int port, String from, String to, String headers, String body) throws IOException {
        try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, port, 30_000)) {
            Smtp.beginData(smtp, from, to);
            smtp.write(headers.replace("\n", "\r\n") + "\r\n" + body.replace("\n", "\r\n") + "\r\n");
            Smtp.require(Smtp.endData(smtp), "250");
            Smtp.command(smtp, "QUIT", "221");
        }
    }

    static String headers(String from, String to, String subject, String... extra) {
        StringBuilder b = new StringBuilder();
        b.append("From: <").append(from).append(">\n");
        b.append("To: <").append(to).append(">\n");
        b.append("Subject: ").append(subject).append("\n");
        b.append("Message-ID: <").append(java.util.UUID.randomUUID()).append("@client.remote.example>\n");
        for (String e : extra) {
            b.append(e).append("\n");
        }
        return b.toString();
    }

    static List<MessageMeta> messages(MailfleetServer server, String account, String folder) throws Exception {
        return server.node().mailboxes().messages(account, folder).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    static List<MessageMeta> await(MailfleetServer server, String account, String folder, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<MessageMeta> got = List.of();
        while (System.nanoTime() < deadline) {
            got = messages(server, account, folder);
            if (got.size() >= count) {
                return got;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("expected " + count + " messages in " + account + " " + folder + ", found " + got.size());
    }

    /** Waits until no queued message has a local target still waiting (remote ones may stay deferred). */
    static List<QueuedMessage> awaitLocalDone(MailfleetServer server) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<QueuedMessage> q = server.node().queue().list().toCompletableFuture().get(20, TimeUnit.SECONDS);
            boolean waiting = q.stream().anyMatch(m -> {
                for (int i = 0; i < m.targets().size(); i++) {
                    if (m.targets().get(i).kind() == io.mailfleet.cluster.queue.DeliveryTarget.Kind.LOCAL
                            && m.status().get(i).state() == io.mailfleet.cluster.queue.TargetStatus.State.PENDING) {
                        return true;
                    }
                }
                return false;
            });
            if (!waiting) {
                return q;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("local deliveries still waiting: " + q);
            }
            Thread.sleep(50);
        }
    }

    static String text(MailfleetServer server, MessageMeta m) throws IOException {
        try (InputStream in = server.blobs().open(m.blob())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
