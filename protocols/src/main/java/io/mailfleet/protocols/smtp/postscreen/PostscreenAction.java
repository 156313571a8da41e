package io.mailfleet.protocols.smtp.postscreen;

/** What happens to a client that failed a postscreen test ({@code POSTSCREEN_ACTION}). */
public enum PostscreenAction {
    /** Log, then answer every command but QUIT with {@code 550 5.5.1}: no mail is accepted. */
    ENFORCE,
    /** Log and close at once with {@code 521 5.5.1}. */
    DROP,
    /** Log only; the session goes on as if the test had passed (the pass is not remembered). */
    IGNORE
}
