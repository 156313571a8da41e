package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.SmtpSettings;
import io.mailfleet.protocols.smtp.Transaction;
import io.mailfleet.protocols.smtp.check.SmtpPeer;
import io.mailfleet.protocols.smtp.policy.SmtpPolicy;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * What a command handler may see and do of its session. The session keeps the framing, the connection
 * and transaction state and the DATA/BDAT byte stream; handlers decide and answer. Everything is
 * called on the connection's event loop.
 */
public interface SmtpContext {

    SmtpSettings settings();

    SmtpServices services();

    SmtpPolicy policy();

    /** The Netty context, for the executor and the channel's attributes. */
    ChannelHandlerContext channel();

    /** Who the client is as of now: address, HELO name, TLS, login. */
    SmtpPeer client();

    /** The client is in a trusted network ({@code TRUSTED_NETWORKS}). */
    boolean trustedClient();

    /** The open mail transaction, or null. */
    Transaction transaction();

    /** The client greeted with {@code name}; EHLO when {@code esmtp}. */
    void greeted(String name, boolean esmtp);

    /** AUTH succeeded for {@code account}. */
    void authenticated(String account);

    /** MAIL FROM was accepted. */
    void beginTransaction(Transaction transaction);

    /** Drops the transaction (and its partial data) and any SASL exchange in progress. */
    void resetTransaction(String why);

    /** Writes a reply without counting it toward the error limit. */
    void send(SmtpReply reply);

    /** Writes a reply; an error reply counts toward the hard error limit. */
    void reply(SmtpReply reply);

    /** Writes preformatted, CRLF-terminated ASCII reply lines as they are (EHLO's multi-line reply). */
    void sendRaw(CharSequence lines);

    /** Sends {@code reply} and closes the connection once it is written. */
    void close(SmtpReply reply);

    /** The connection is closing: nothing more is answered. */
    boolean closing();

    /** Counts protocol abuse against the client (Fail2ban's {@code postfix} jail). */
    void abuse(String reason);

    /** Keeps what the connect-stage checks noted: the client's listing and a refusal for every RCPT. */
    void screened(io.mailfleet.protocols.smtp.check.CheckResult.Note note);

    /** The refusal every RCPT of this session gets (postscreen's {@code enforce}), or null. */
    io.mailfleet.protocols.smtp.check.CheckResult.Refuse sessionRcptRefusal();

    /** Logs a MAIL/RCPT/data decision in the session's log format. */
    void logDecision(String transactionId, String from, String to, String status, String reason);

    /**
     * Reads no further input until {@code stage} completes (autoRead off, replies so far flushed),
     * then runs {@code then} on the event loop and carries on reading.
     */
    <T> void pauseUntil(CompletionStage<T> stage, BiConsumer<T, Throwable> then);

    /**
     * Runs {@code then} at once when {@code stage} has already completed, so a stage whose checks all
     * answered synchronously (an empty one included) neither pauses input nor splits pipelined
     * replies; else as {@link #pauseUntil}.
     */
    default <T> void await(CompletableFuture<T> stage, BiConsumer<T, Throwable> then) {
        if (!stage.isDone()) {
            pauseUntil(stage, then);
            return;
        }
        T value = null;
        Throwable failure = null;
        try {
            value = stage.join();
        } catch (CompletionException | CancellationException e) {
            failure = e.getCause() == null ? e : e.getCause();
        }
        then.accept(value, failure);
    }

    /** The next input line is a SASL response ({@code true}) or a command ({@code false}). */
    void expectAuthResponse(boolean expect);

    /** Answers 220 and starts the server-side TLS handshake; the session restarts after it. */
    void startTls();

    /** DATA was accepted: opens the message and reads it up to the lone dot. */
    void beginData();

    /**
     * BDAT: reads the next {@code size} octets as a chunk, the last when {@code last}; with a
     * {@code refusal} the chunk is read, dropped and answered with it.
     */
    void beginChunk(long size, boolean last, SmtpReply refusal);
}
