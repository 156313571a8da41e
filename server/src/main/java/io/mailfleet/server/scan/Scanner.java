package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;

import java.util.concurrent.CompletableFuture;

/** One external scanner's client: which messages it looks at, and the call that asks it about one. */
public interface Scanner {

    /** The name in log lines and metrics ({@code clamav}, {@code spamassassin}, {@code rspamd}). */
    String name();

    /** Messages larger than this are not scanned (logged). */
    long sizeLimit();

    /** Whether this transaction's message is scanned at all (spam scanners skip relay clients). */
    boolean concerns(MessageStart start);

    /**
     * Asks the scanner about the stored message. Must not block the caller; the returned future may
     * be completed with a time-out by the {@link ScannerGuard}, and the call then drops its connection.
     */
    CompletableFuture<ScanVerdict> scan(MessageAttempt attempt);

    /** The scanner's reply when a call fails and the message is not let through unscanned. */
    String unavailableText();
}
