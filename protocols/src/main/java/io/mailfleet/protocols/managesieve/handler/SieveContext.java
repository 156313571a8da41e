package io.mailfleet.protocols.managesieve.handler;

import io.mailfleet.protocols.managesieve.ManageSieveServices;
import io.mailfleet.protocols.managesieve.ManageSieveSettings;
import io.mailfleet.protocols.managesieve.Tokens.Token;
import io.mailfleet.protocols.sasl.TlsOnlyPolicy;
import io.netty.channel.ChannelHandlerContext;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What a ManageSieve command handler may see and do of its session. The session keeps the framing of
 * lines and literals, the login and the session registry's lease; handlers decide and answer. Every
 * method runs on the connection's event loop.
 */
public interface SieveContext {

    ManageSieveSettings settings();

    ManageSieveServices services();

    /** The Netty context, for the channel and its executor. */
    ChannelHandlerContext netty();

    String remoteIp();

    boolean tlsActive();

    /** Passwords may be sent: over TLS, or when the server has no certificate to upgrade to. */
    default boolean plaintextAllowed() {
        // Same rule as IMAP and POP3: without any certificate there is nothing to upgrade to.
        return TlsOnlyPolicy.secretsAllowed(tlsActive(), services().tls().enabled());
    }

    /** The logged-in account, or null before AUTHENTICATE and after UNAUTHENTICATE. */
    String account();

    /** AUTHENTICATE succeeded: the channel is marked and the session registered (listing and kicking). */
    void loggedIn(String account);

    /** UNAUTHENTICATE: the login and the registration end. */
    void loggedOut();

    /** Writes {@code line} and CRLF. */
    void reply(String line);

    /** {@code OK "message"}. */
    void ok(String message);

    /** {@code NO (code) "message"}, without a code when {@code code} is null or empty. */
    void no(String code, String message);

    /** A client mistake: NO (or the given NO/BYE line); the connection ends after too many of them. */
    void bad(String replyLine);

    /** Writes {@code raw}, closes the connection once it is written and reads no further command. */
    void closeWith(String raw);

    /** Reads no further command: the connection is closing. */
    void hangUp();

    /**
     * Reads no further command until {@code stage} completes, then runs {@code onOk} on the event loop
     * and goes on; a failure answers NO (the store's own code for a refusal, TRYLATER otherwise).
     */
    <T> void async(CompletionStage<T> stage, Consumer<T> onOk);

    /** The next command's words go to {@code next} instead of being dispatched (a SASL response). */
    void continueWith(Consumer<List<Token>> next);

    /**
     * Answers OK and starts the server-side TLS handshake, dropping input pipelined in clear text;
     * once TLS is up runs {@code afterHandshake} and reads on.
     */
    void startTls(Runnable afterHandshake);
}
