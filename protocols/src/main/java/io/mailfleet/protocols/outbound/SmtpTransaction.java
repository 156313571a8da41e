package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;
import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * One mail transaction on an open, greeted connection: MAIL, RCPT (pipelined with DATA when the
 * peer offers PIPELINING), the streamed content and the final reply, mapped to per-recipient
 * results. Session-level trouble (4xx to MAIL, lost connection, timeouts) is thrown as
 * {@link OutboundException} so that the caller tries the next host.
 */
final class SmtpTransaction {

    private static final int CHUNK = 64 * 1024;

    private final ClientConnection conn;
    private final Delivery delivery;
    private final OutboundTimeouts t;

    SmtpTransaction(ClientConnection conn, Delivery delivery, OutboundTimeouts timeouts) {
        this.conn = conn;
        this.delivery = delivery;
        this.t = timeouts;
    }

    /** Thrown when the message itself cannot be read: no other host would do better. */
    static final class MessageUnreadable extends Exception {
        MessageUnreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    DeliveryResult run() throws OutboundException, MessageUnreadable {
        OutboundEnvelope env = delivery.envelope();
        var ext = conn.extensions();
        String host = conn.label();
        boolean dsn = ext.containsKey("DSN");
        if (env.body() == BodyType.BINARY_MIME) {
            return all(Outcome.PERMANENT, "5.6.3", "binary (BINARYMIME) content can only be sent with BDAT, "
                    + "which this client does not implement", dsn);
        }
        // RFC 6152 allows converting 8-bit content to 7-bit; we do not rewrite signed content and bounce instead.
        if (env.body() == BodyType.EIGHT_BIT_MIME && !ext.containsKey("8BITMIME")) {
            return all(Outcome.PERMANENT, "5.6.3", "8-bit message and the remote server " + host
                    + " does not support 8BITMIME", dsn);
        }
        boolean utf8 = env.needsSmtpUtf8();
        if (utf8 && !ext.containsKey("SMTPUTF8")) {
            return all(Outcome.PERMANENT, "5.6.7", "message needs SMTPUTF8 and the remote server " + host
                    + " does not support it", dsn);
        }
        long size = delivery.message().size();
        long limit = sizeLimit(ext.get("SIZE"));
        if (limit > 0 && size > limit) {
            return all(Outcome.PERMANENT, "5.3.4", "message size " + size + " exceeds size limit " + limit
                    + " of server " + host, dsn);
        }

        if (env.requireTls() && (!conn.tls() || !ext.containsKey("REQUIRETLS"))) {
            // a reused connection is checked again: REQUIRETLS only to a host that offered it over TLS
            throw new OutboundException(RequireTls.NOT_SUPPORTED, "REQUIRETLS support required, but host " + host
                    + " does not offer REQUIRETLS" + (conn.tls() ? "" : " over TLS"));
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(env.sender()).append('>');
        if (ext.containsKey("SIZE")) {
            mail.append(" SIZE=").append(size);
        }
        if (env.body() == BodyType.EIGHT_BIT_MIME) {
            mail.append(" BODY=8BITMIME");
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        if (dsn && env.ret() != null) {
            mail.append(" RET=").append(env.ret());
        }
        if (dsn && env.envId() != null) {
            mail.append(" ENVID=").append(env.envId());
        }
        if (env.requireTls()) {
            mail.append(" REQUIRETLS");
        }
        List<String> rcpts = new ArrayList<>();
        for (EnvelopeRecipient r : env.recipients()) {
            StringBuilder b = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
            if (dsn && r.dsnNotify() != null) {
                b.append(" NOTIFY=").append(r.dsnNotify());
            }
            if (dsn && r.orcpt() != null) {
                b.append(" ORCPT=").append(r.orcpt());
            }
            rcpts.add(b.toString());
        }

        RemoteReply mailReply;
        List<RemoteReply> rcptReplies = new ArrayList<>();
        RemoteReply dataReply = null;
        if (ext.containsKey("PIPELINING")) {
            List<String> lines = new ArrayList<>();
            List<String> stages = new ArrayList<>();
            List<Duration> timeouts = new ArrayList<>();
            lines.add(mail.toString());
            stages.add("MAIL FROM");
            timeouts.add(t.mail());
            for (String r : rcpts) {
                lines.add(r);
                stages.add("RCPT TO");
                timeouts.add(t.rcpt());
            }
            lines.add("DATA");
            stages.add("DATA");
            timeouts.add(t.dataInit());
            List<CompletableFuture<RemoteReply>> replies = conn.pipeline(lines, stages, timeouts);
            mailReply = conn.get(replies.get(0), "MAIL FROM");
            for (int i = 0; i < rcpts.size(); i++) {
                rcptReplies.add(conn.get(replies.get(i + 1), "RCPT TO"));
            }
            dataReply = conn.get(replies.get(replies.size() - 1), "DATA");
            if (!mailReply.positive() || rcptReplies.stream().noneMatch(RemoteReply::positive)) {
                if (dataReply.intermediate()) {
                    // DATA was accepted although nothing else was: end an empty message at once.
                    conn.command(".", "end of empty DATA", t.dataDone());
                }
            }
        } else {
            mailReply = conn.command(mail.toString(), "MAIL FROM", t.mail());
            if (mailReply.positive()) {
                for (String r : rcpts) {
                    rcptReplies.add(conn.command(r, "RCPT TO", t.rcpt()));
                }
            }
        }
        if (!mailReply.positive()) {
            if (mailReply.transientFailure()) {
                throw new OutboundException(mailReply.status("0.0"), "host " + host + " said: " + mailReply.text()
                        + " (in reply to MAIL FROM command)");
            }
            return all(Outcome.PERMANENT, mailReply.status("0.0"), said(host, mailReply, "MAIL FROM"), dsn);
        }
        List<RecipientResult> results = new ArrayList<>();
        List<Integer> accepted = new ArrayList<>();
        for (int i = 0; i < env.recipients().size(); i++) {
            RemoteReply r = rcptReplies.get(i);
            if (r.positive()) {
                accepted.add(i);
                results.add(null);
            } else {
                results.add(new RecipientResult(env.recipients().get(i),
                        r.transientFailure() ? Outcome.TEMPORARY : Outcome.PERMANENT, r.status("1.0"),
                        said(host, r, "RCPT TO")));
            }
        }
        if (accepted.isEmpty()) {
            return new DeliveryResult(results, host, conn.tls(), dsn);
        }
        if (dataReply == null) {
            dataReply = conn.command("DATA", "DATA", t.dataInit());
        }
        RemoteReply finalReply;
        String stage;
        if (!dataReply.intermediate()) {
            finalReply = dataReply;
            stage = "DATA";
        } else {
            sendContent();
            finalReply = conn.await("end of DATA", t.dataDone());
            stage = "end of DATA";
        }
        Outcome o = finalReply.positive() ? Outcome.DELIVERED
                : finalReply.transientFailure() ? Outcome.TEMPORARY : Outcome.PERMANENT;
        for (int i : accepted) {
            results.set(i, new RecipientResult(env.recipients().get(i), o, finalReply.status("0.0"),
                    said(host, finalReply, stage)));
        }
        return new DeliveryResult(results, host, conn.tls(), dsn);
    }

    private void sendContent() throws OutboundException, MessageUnreadable {
        DotStuffer stuffer = new DotStuffer();
        try (InputStream in = delivery.message().open()) {
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = in.read(chunk)) > 0) {
                ByteBuf buf = conn.buffer(n + n / 16 + 16);
                stuffer.encode(chunk, n, buf);
                conn.writeData(buf, t.dataBlock());
            }
        } catch (IOException e) {
            // Never end a partial message with the dot: closing makes the remote discard it.
            conn.close();
            throw new MessageUnreadable("cannot read the message: " + e.getMessage(), e);
        }
        ByteBuf end = conn.buffer(8);
        stuffer.finish(end);
        conn.writeData(end, t.dataBlock());
    }

    private DeliveryResult all(Outcome outcome, String status, String diagnostic, boolean dsn) {
        List<RecipientResult> out = new ArrayList<>();
        for (EnvelopeRecipient r : delivery.envelope().recipients()) {
            out.add(new RecipientResult(r, outcome, status, diagnostic));
        }
        return new DeliveryResult(out, conn.label(), conn.tls(), dsn);
    }

    static String said(String host, RemoteReply r, String command) {
        return "host " + host + " said: " + r.text() + " (in reply to " + command + " command)";
    }

    private static long sizeLimit(String param) {
        if (param == null || param.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(param.strip().split("\\s+")[0].toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
