package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier's settings: the record of learned messages from its variable, a bad value naming its key. */
class ClassifierSettingsTest {

    @Test
    void theLearnCacheFromItsVariableAndGarbageNamesTheKey() {
        assertEquals(10_000, ClassifierSettings.of(MailfleetConfig.load(null, Map.of())).learnCache());
        assertEquals(0, ClassifierSettings.of(MailfleetConfig.load(null, Map.of("MAILFLEET_BAYES_LEARN_CACHE", "0")))
                .learnCache());
        for (String bad : new String[] {"-1", "many", "1000001"}) {
            ConfigError e = assertThrows(ConfigError.class,
                    () -> MailfleetConfig.load(null, Map.of("MAILFLEET_BAYES_LEARN_CACHE", bad)));
            assertTrue(e.getMessage().contains(
                    "mailfleet.spam-scorer.bayes.learn-cache (from environment variable MAILFLEET_BAYES_LEARN_CACHE)"),
                    e.getMessage());
        }
    }
}
