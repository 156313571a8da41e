package io.mailfleet.protocols.smtp;

import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.protocols.flow.BlobUploads;
import io.mailfleet.protocols.flow.Demand;
import io.mailfleet.protocols.smtp.check.MessageCheckRun;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.SmtpPeer;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The data phase of one SMTP transaction: the {@link MessageSink} the DATA or BDAT bytes stream into,
 * the state of a BDAT chunk, and the end of the message (blob commit, enqueue, then the one reply the
 * client waits for). The session decides when bytes are read; this class decides what they mean.
 */
final class MessageReception {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");
    /** A chunk refused before it was read answers nothing more once read (the refusal went out already). */
    private static final SmtpReply NO_REPLY = new SmtpReply(0, "", "");

    private final SmtpSession session;
    private final BlobUploads uploads;
    private MessageSink sink;
    private MessageCheckRun checks;
    private long bdatRemaining;
    private boolean bdatLast;
    private SmtpReply pendingRefusal;

    MessageReception(SmtpSession session, BlobUploads uploads) {
        this.session = session;
        this.uploads = uploads;
    }

    /** The store's demand when it can hold input back, else null. */
    Demand demand() {
        return sink != null && sink.writer() instanceof Demand store ? store : null;
    }

    /** DATA: opens the sink; false when it could not be opened (the refusal is answered). */
    boolean beginData(Transaction txn) {
        return openSink(txn, true);
    }

    /** Dot-stuffed DATA bytes; true at the final dot. */
    boolean feedDotted(ByteBuf chunk) {
        return sink.feedDotted(chunk);
    }

    /**
     * BDAT {@code size} [LAST]: {@code refusal} answers the chunk once it has been read and dropped;
     * true when the chunk has no bytes to read.
     */
    boolean beginChunk(Transaction txn, long size, boolean last, SmtpReply refusal) {
        bdatRemaining = size;
        bdatLast = last;
        if (refusal != null) {
            pendingRefusal = refusal;
        } else if (sink == null) {
            txn.bdat = true;
            if (!openSink(txn, false)) {
                session.resetTransaction("blob create failed");
                pendingRefusal = NO_REPLY;
            }
        }
        return bdatRemaining == 0;
    }

    /** Bytes of the current BDAT chunk not read yet. */
    long chunkRemaining() {
        return bdatRemaining;
    }

    /** Takes all readable bytes of {@code chunk} (dropped when no message is open) and returns their count. */
    int feedChunk(ByteBuf chunk) {
        int k = chunk.readableBytes();
        if (sink != null) {
            sink.feedRaw(chunk, k);
        } else {
            chunk.skipBytes(k);
        }
        bdatRemaining -= k;
        return k;
    }

    /** The current BDAT chunk has been read: answer it, or end the message after the LAST one. */
    void endOfChunk(Transaction txn) {
        SmtpReply refusal = pendingRefusal;
        pendingRefusal = null;
        if (refusal != null) {
            if (refusal != NO_REPLY) {
                session.reply(refusal);
            }
            return;
        }
        if (bdatLast) {
            sink.endRaw();
            endOfMessage(txn);
            return;
        }
        if (sink.problem() != null) {
            // RFC 3030: a failed chunk fails the transaction; the client must start over
            MessageSink.Problem p = sink.problem();
            session.logDecision(txn.id, txn.sender, recipientList(txn), "rejected", p.name());
            session.resetTransaction(p.name());
            session.reply(p.reply);
            return;
        }
        session.reply(new SmtpReply(250, "2.0.0", "Ok: " + sink.size() + " octets received"));
    }

    /**
     * The whole message is in: refuse it, or commit the blob, let the end-of-data checks decide, and
     * queue it, then answer. Nothing is accepted before the queue holds it.
     */
    void endOfMessage(Transaction t) {
        MessageSink s = sink;
        MessageCheckRun run = checks;
        sink = null;
        checks = null;
        if (!s.finish()) {
            if (run != null) {
                run.abandon();
            }
            MessageSink.Problem p = s.problem();
            session.logDecision(t.id, t.sender, recipientList(t), "rejected", p.name());
            session.resetTransaction(p.name());
            session.reply(p.reply);
            return;
        }
        if (refusedOverQuota(t, s, run)) {
            return;
        }
        SmtpPeer peer = session.client();
        SmtpSettings settings = session.settings();
        Envelope envelope = new Envelope(t.sender, t.recipients, peer.helo(), peer.remoteIp(), peer.login(),
                settings.mode().isSubmission(), t.ret, t.envId, t.body, t.smtpUtf8, Instant.now());
        CompletionStage<MessageAcceptance.Outcome> stage;
        try {
            // parsed once when a check or a local mailbox will read it; the parse goes with it to the queue
            stage = s.writer().commit().thenCompose(ref -> MessageAcceptance.accept(session.services(), ref,
                    s.writer().committedBytes(), s.size(), run, start(t), run != null || !t.localAccounts.isEmpty(),
                    envelope, t.requireTls));
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        session.transactionDone();
        session.pauseUntil(stage, (stored, err) -> {
            if (err != null) {
                // the blob may already be durable; it is reclaimed by the store's garbage collection,
                // never deleted here, because a timed-out enqueue may still have been persisted
                s.writer().close();
                session.logDecision(t.id, t.sender, recipientList(t), "deferred",
                        "queue write failed: " + rootMessage(err));
                session.reply(new SmtpReply(451, "4.3.0", "Error: queue file write error"));
            } else if (stored.refusal != null) {
                // never queued: the stored bytes are garbage the store's collection reclaims
                session.logDecision(t.id, t.sender, recipientList(t), stored.refusal.reply().isPermanent()
                        ? "rejected" : "deferred", stored.refusal.reason());
                session.reply(stored.refusal.reply());
            } else {
                LOG.info("session={} txn={} queue={} from=<{}> to={} size={} status=queued", peer.sessionId(),
                        t.id, stored.queueId, t.sender, recipientList(t), stored.size);
                session.reply(new SmtpReply(250, "2.0.0", "Ok: queued as " + stored.queueId));
            }
        });
    }

    /**
     * The real size against the local recipients' quotas (a client that declared no SIZE passed RCPT with
     * none): refused with {@code 552 5.2.2} before the 250 when one would go over, the blob dropped.
     */
    private boolean refusedOverQuota(Transaction t, MessageSink s, MessageCheckRun run) {
        String full = session.policy().overQuota(session.services().directory().view(), t.localAccounts, s.size());
        if (full == null) {
            return false;
        }
        if (run != null) {
            run.abandon();
        }
        s.writer().abort();
        session.logDecision(t.id, t.sender, recipientList(t), "rejected", "over quota: " + full + " (" + s.size()
                + " octets)");
        session.resetTransaction("over quota");
        session.reply(new SmtpReply(552, "5.2.2", "Mailbox is full"));
        return true;
    }

    /** The transaction as the end-of-data checks see it. */
    private MessageStart start(Transaction t) {
        SmtpPeer peer = session.client();
        return new MessageStart(peer, t.id, t.sender, t.recipients.stream().map(EnvelopeRecipient::address).toList(),
                peer.login() != null || session.trustedClient(), t.facts, java.util.List.copyOf(t.localAccounts));
    }

    /** Drops what was received of the message (the blob is aborted). */
    void abort() {
        if (sink != null) {
            sink.writer().abort();
            sink = null;
        }
        if (checks != null) {
            checks.abandon();
            checks = null;
        }
    }

    private boolean openSink(Transaction txn, boolean dataMode) {
        SmtpPeer peer = session.client();
        SmtpSettings settings = session.settings();
        BlobWriter w;
        try {
            w = uploads.pace(session.services().blobs().create());
        } catch (Exception e) {
            LOG.warn("session={} txn={} cannot create blob: {}", peer.sessionId(), txn.id, e.toString());
            session.reply(new SmtpReply(451, "4.3.0", "Error: queue file write error"));
            return false;
        }
        boolean submission = settings.mode().isSubmission();
        boolean authenticated = peer.login() != null;
        String with = (session.extended() ? "ESMTP" : "SMTP") + (peer.tls() ? "S" : "") + (authenticated ? "A" : "");
        if (!session.extended() && (peer.tls() || authenticated)) {
            with = "ESMTP" + (peer.tls() ? "S" : "") + (authenticated ? "A" : "");
        }
        String single = txn.recipients.size() == 1 ? txn.recipients.get(0).address() : null;
        // trace fields from the MAIL checks (Received-SPF) go above our Received:, as RFC 7208 section 9.1 asks
        String received = txn.traceFields + ReceivedHeader.build(settings.hostname(), peer.helo(),
                submission ? null : peer.remoteIp(), with, txn.id, single, ZonedDateTime.now());
        sink = new MessageSink(w, dataMode, settings.maxMessageSize(), settings.bareNewline(), submission, received,
                session.services().headerLimits(), settings.hostname());
        checks = MessageCheckRun.open(session.services().checks().forMode(settings.mode()).data(), start(txn));
        if (checks != null) {
            sink.observedBy(checks);
        }
        return true;
    }

    /** The recipients for the log line: {@code <a>,<b>}. */
    static String recipientList(Transaction t) {
        if (t == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (EnvelopeRecipient r : t.recipients) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('<').append(r.address()).append('>');
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && c != c.getCause()) {
            c = c.getCause();
        }
        return c.toString();
    }
}
