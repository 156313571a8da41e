package io.mailfleet.persistence.serialization;

import org.apache.pekko.actor.typed.ActorRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Test-only message types, registered in src/test/resources/application.conf. */
public final class TestTypes {

    private TestTypes() {
    }

    public enum Color {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green with a body";
            }
        },
        BLUE
    }

    public record Sample(String text, int number, long big, Instant at, List<String> tags,
                         Map<String, Integer> counts, Set<String> flags, Optional<String> note, Color color) {
    }

    public record WithRef(String text, ActorRef<String> replyTo) {
    }

    public record WithClassicRef(org.apache.pekko.actor.ActorRef ref) {
    }

    /** Not registered anywhere: serializing it must fail with a clear message. */
    public record Unregistered(String text) {
    }
}
