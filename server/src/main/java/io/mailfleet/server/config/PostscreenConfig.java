package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.postscreen.PostscreenAction;
import io.mailfleet.protocols.smtp.postscreen.PostscreenSettings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads {@code mailfleet.postscreen}: the pregreet test of port 25 ({@code POSTSCREEN_ACTION}). */
final class PostscreenConfig {

    private PostscreenConfig() {
    }

    static PostscreenSettings read(ValueReader r) {
        Map<String, PostscreenAction> actions = new LinkedHashMap<>();
        actions.put("enforce", PostscreenAction.ENFORCE);
        actions.put("drop", PostscreenAction.DROP);
        actions.put("ignore", PostscreenAction.IGNORE);
        return new PostscreenSettings(r.bool("mailfleet.postscreen.enabled"),
                r.choice("mailfleet.postscreen.action", actions),
                r.durationIn("mailfleet.postscreen.greet-wait", Duration.ofMillis(100), Duration.ofMinutes(1),
                        "between 100ms and 1m"),
                r.durationIn("mailfleet.postscreen.pass-ttl", Duration.ZERO, Duration.ofDays(365),
                        "between 0s and 365d"));
    }
}
