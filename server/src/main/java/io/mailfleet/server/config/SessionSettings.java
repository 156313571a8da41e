package io.mailfleet.server.config;

import java.time.Duration;

/** {@code mailfleet.sessions}: how often live sessions refresh their cluster-wide entry, and how long a login waits for it. */
public record SessionSettings(Duration refreshInterval, Duration askTimeout) {
}
