package io.mailfleet.protocols.smtp.check;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The check of one message by one {@link DataCheck}: it may read the bytes as they stream in (a DKIM
 * body hash, a header scan: the message is then never read a second time for it), and decides once the
 * message is stored. Used by one session at a time, from its event loop, so it needs no locking.
 */
public interface MessageCheck {

    /**
     * The next stored bytes of the message, in order, our {@code Received:} first. A read-only view
     * valid during the call only; this runs on the event loop, so it must be quick and never block.
     */
    default void observe(ByteBuffer stored) {
    }

    /**
     * Accept, refuse (the client gets the reply instead of {@code 250}; nothing was accepted), or a
     * {@link CheckResult.Note} whose trace fields are prepended to the stored message. Must not block;
     * a failed stage refuses with {@code 451 4.3.5} so the client tries again later. A check that needs
     * the message's structure or header reads {@link MessageAttempt#parsed()}, never a parse of its own.
     */
    CompletionStage<CheckResult> decide(MessageAttempt attempt);

    /** The transaction ended without a decision (reset, refused data, lost connection). */
    default void abandon() {
    }
}
