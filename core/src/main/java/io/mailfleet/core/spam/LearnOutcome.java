package io.mailfleet.core.spam;

/** What teaching a spam filter one message did. */
public enum LearnOutcome {
    /** The message was new to the filter and is learned now. */
    LEARNED,
    /** The filter had learned it as the other kind: that learning was undone and the message learned as this kind. */
    RELEARNED,
    /** The filter had learned it as this kind already: nothing changed (Rspamd's "already learned"). */
    ALREADY_LEARNED
}
