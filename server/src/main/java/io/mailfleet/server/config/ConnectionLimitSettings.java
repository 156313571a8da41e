package io.mailfleet.server.config;

import io.mailfleet.protocols.netty.ConnectionLimits;
import io.mailfleet.protocols.netty.DescriptorBudget;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code mailfleet.connections}: the node's connection limits on every mail listener (see
 * docs/security.md, "Connection limits").
 *
 * @param limits  the limits, with {@code max-connections = auto} resolved from the descriptor limit
 * @param warning set when the configured cap leaves no reserve below the process's descriptor limit
 */
public record ConnectionLimitSettings(ConnectionLimits limits, Optional<String> warning) {

    static final Duration MAX_LOGIN_TIMEOUT = Duration.ofHours(1);

    static ConnectionLimitSettings read(ValueReader r, OptionalLong maxDescriptors) {
        int preLogin = r.intIn("mailfleet.connections.pre-login-per-address", 0, 1_000_000);
        int handshakes = r.intIn("mailfleet.connections.tls-handshakes-per-address", 0, 1_000_000);
        String max = r.string("mailfleet.connections.max-connections").toLowerCase(Locale.ROOT);
        int cap = max.equals("auto") ? DescriptorBudget.capFor(maxDescriptors)
                : (int) r.longIn("mailfleet.connections.max-connections", 0, 10_000_000,
                "auto (derived from the descriptor limit), 0 (no cap) or a whole number up to 10000000");
        Duration login = r.durationIn("mailfleet.connections.login-timeout", Duration.ZERO, MAX_LOGIN_TIMEOUT,
                "0 (none) or a duration up to 1h such as 60s");
        Optional<String> warning = Optional.empty();
        if (maxDescriptors.isPresent() && (cap == 0 || cap >= maxDescriptors.getAsLong())) {
            warning = Optional.of("mailfleet.connections.max-connections = " + max + " does not stay below the"
                    + " process's limit of " + maxDescriptors.getAsLong() + " open files: a flood of connections"
                    + " can leave the node without descriptors for its journal, blobs and cluster transport");
        }
        return new ConnectionLimitSettings(new ConnectionLimits(preLogin, handshakes, cap, login), warning);
    }
}
