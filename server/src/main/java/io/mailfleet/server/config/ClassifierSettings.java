package io.mailfleet.server.config;

import java.util.Map;

/**
 * The built-in scorer's statistical classifier ({@code mailfleet.spam-scorer.bayes}) and learning from
 * users' IMAP moves ({@code mailfleet.spam-learning}, docker-mailserver's {@code RSPAMD_LEARN}).
 *
 * @param bayes        classify with the learned models when the built-in scorer is on
 * @param minLearns    no verdict until a model learned this many spam and this many ham
 * @param learnFromImap moves into and out of Junk (and $Junk/$NotJunk) learn spam and ham
 * @param learnCache   the messages each model remembers having learned (skipped when learned again,
 *                     relearned when learned as the other kind); 0 remembers none
 */
public record ClassifierSettings(boolean bayes, int minLearns, boolean learnFromImap, int learnCache) {

    static ClassifierSettings read(ValueReader r) {
        return new ClassifierSettings(r.bool("mailfleet.spam-scorer.bayes.enabled"),
                r.intIn("mailfleet.spam-scorer.bayes.min-learns", 1, 1_000_000),
                r.bool("mailfleet.spam-learning.enabled"),
                r.intIn("mailfleet.spam-scorer.bayes.learn-cache", 0, 1_000_000));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static ClassifierSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
