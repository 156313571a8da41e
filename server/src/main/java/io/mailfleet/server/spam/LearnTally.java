package io.mailfleet.server.spam;

import io.mailfleet.core.spam.LearnOutcome;

/**
 * What teaching some messages did: how many the filter learned (new ones and relearned ones), how many of
 * those it had learned as the other kind and relearned, and how many it had learned as this kind already
 * and skipped.
 */
public record LearnTally(int learned, int relearned, int alreadyLearned) {

    /** Nothing taught yet. */
    public static final LearnTally NONE = new LearnTally(0, 0, 0);

    /** This tally with one more message's outcome. */
    public LearnTally plus(LearnOutcome outcome) {
        return switch (outcome) {
            case LEARNED -> new LearnTally(learned + 1, relearned, alreadyLearned);
            case RELEARNED -> new LearnTally(learned + 1, relearned + 1, alreadyLearned);
            case ALREADY_LEARNED -> new LearnTally(learned, relearned, alreadyLearned + 1);
        };
    }
}
