package io.mailfleet.core.service;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.spam.LearnOutcome;

import java.util.concurrent.CompletionStage;

/** Teaches a spam filter that a stored message is spam or ham (the built-in classifier or Rspamd). */
public interface SpamLearner {

    /** The filter taught, for log lines: {@code builtin} or {@code rspamd}. */
    String name();

    /**
     * Learns {@code message}, which {@code account} judged spam or ham; never completes before the filter
     * learned it. Completes with what the filter did: a message it learned as that kind already is skipped.
     */
    CompletionStage<LearnOutcome> learn(String account, BlobRef message, boolean spam);
}
