package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.pop3.Pop3Services;
import io.mailfleet.protocols.pop3.Pop3Settings;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What a POP3 command handler may see and do of its session. The session keeps the framing, the
 * state, the maildrop lock and the session lease; handlers decide and answer. Every method runs on
 * the connection's event loop.
 */
public interface Pop3Context {

    Pop3Settings settings();

    Pop3Services services();

    /** The Netty context, for the channel, its executor and its allocator. */
    ChannelHandlerContext netty();

    String remoteIp();

    Pop3State state();

    /** Moves the session to {@code state}. */
    void enter(Pop3State state);

    boolean tlsActive();

    /** Passwords may be sent: over TLS, or when the server has no certificate to upgrade to. */
    default boolean plaintextAllowed() {
        // With no certificate at all there is nothing to upgrade to: like the IMAP server, logins are
        // accepted in clear and the listener logged at start that TLS is off.
        return TlsOnlyPolicy.secretsAllowed(tlsActive(), services().tls().enabled());
    }

    /** The account whose maildrop is locked, or null. */
    String account();

    void account(String account);

    /** Writes {@code line} and CRLF. */
    void reply(String line);

    /** Writes {@code raw} as it is (CRLF-terminated lines of a multi-line reply). */
    void send(String raw);

    /** A client mistake: writes {@code line}; the connection ends after too many of them. */
    void bad(String line);

    /** Writes {@code raw}, closes the connection once it is written and reads no further command. */
    void closeWith(String raw);

    /** Reads no further command: the connection is closing. */
    void hangUp();

    /**
     * Reads no further command until {@code stage} completes, then runs {@code onOk} on the event
     * loop; a failure answers -ERR [SYS/TEMP] and goes on. {@code onOk} ends with {@link #resume()}.
     */
    <T> void async(CompletionStage<T> stage, Consumer<T> onOk);

    /** Ends an asynchronous command and goes on with pipelined ones. */
    void resume();

    /** The next line the client sends goes to {@code next} instead of being read as a command. */
    void continueWith(Consumer<String> next);

    /** Answers +OK and starts the server-side TLS handshake, dropping input pipelined in clear text. */
    void startTls();

    /** Streams {@code status} and the message (all of it, or its header and {@code bodyLines} lines). */
    void sendMessage(String status, MessageView message, long bodyLines);

    /** Keeps the session registry's lease until the connection ends. */
    void keepSession(SessionLease lease);

    /** Gives the session registry's lease back. */
    void endSession();

    /** The connection is gone. */
    boolean closed();

    /** An operator kicked this session (any thread). */
    void kickedByOperator();

    /** Keeps the maildrop lock's release until QUIT or the end of the connection. */
    void keepLock(Runnable release);

    /** Gives the maildrop lock back, once. */
    void releaseLock();
}
