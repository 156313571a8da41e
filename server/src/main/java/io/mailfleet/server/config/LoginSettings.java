package io.mailfleet.server.config;

import io.mailfleet.protocols.auth.LoginPolicy;

import java.time.Duration;

/**
 * {@code mailfleet.login}: failed authentications per connection before any protocol closes it
 * (Dovecot's 3) and the delay before a failure is answered (Dovecot's {@code auth_failure_delay}).
 */
public record LoginSettings(LoginPolicy policy) {

    static LoginSettings read(ValueReader r) {
        int max = r.intIn("mailfleet.login.max-failures", 1, 1000);
        String key = "mailfleet.login.failure-delay";
        String text = r.string(key);
        Duration delay;
        try {
            delay = r.config().getDuration(key);
        } catch (RuntimeException e) {
            delay = null;
        }
        if (delay == null || delay.isNegative() || delay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw r.invalid(key, text, "a duration from 0s to 60s such as 2s or 500ms");
        }
        return new LoginSettings(new LoginPolicy(max, delay));
    }
}
