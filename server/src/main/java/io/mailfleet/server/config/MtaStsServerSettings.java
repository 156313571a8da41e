package io.mailfleet.server.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code mailfleet.mta-sts-server}: the MTA-STS policy (RFC 8461) of the hosted domains and the
 * optional HTTPS listener that serves it at {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}.
 * The policy settings are used by {@code config dns} too, whether the listener runs or not.
 *
 * @param enabled whether the HTTPS listener starts (off by default)
 * @param bind    the IP address it binds
 * @param port    its port (0 = any free port)
 * @param mode    {@code enforce}, {@code testing} or {@code none}
 * @param maxAge  the policy's {@code max_age} in seconds
 * @param mx      the {@code mx:} patterns; empty means the node's hostname
 */
public record MtaStsServerSettings(boolean enabled, String bind, int port, String mode, long maxAge, List<String> mx) {

    /** RFC 8461 §3.2's upper bound of max_age (about a year). */
    public static final long MAX_AGE_LIMIT = 31557600;

    private static final Pattern MX = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public MtaStsServerSettings {
        mx = List.copyOf(mx);
    }

    /** Reads and checks the keys; a bad value names its key. */
    static MtaStsServerSettings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.mta-sts-server.enabled");
        String bind = r.string("mailfleet.mta-sts-server.bind");
        if (bind.isEmpty()) {
            bind = r.string("mailfleet.bind-address");
        }
        Optional<String> cidr = Networks.parseCidr(bind);
        if (bind.contains("/") || cidr.isEmpty()) {
            throw r.invalid("mailfleet.mta-sts-server.bind", bind, "an IP address such as 0.0.0.0, 127.0.0.1 or ::, "
                    + "or \"\" for mailfleet.bind-address");
        }
        String mode = r.string("mailfleet.mta-sts-server.mode").toLowerCase(Locale.ROOT);
        if (!List.of("enforce", "testing", "none").contains(mode)) {
            throw r.invalid("mailfleet.mta-sts-server.mode", mode, "enforce, testing or none");
        }
        long maxAge = r.longIn("mailfleet.mta-sts-server.max-age", 1, MAX_AGE_LIMIT,
                "a number of seconds 1.." + MAX_AGE_LIMIT + " (RFC 8461 3.2)");
        List<String> mx = r.stringList("mailfleet.mta-sts-server.mx").stream()
                .map(m -> m.toLowerCase(Locale.ROOT)).toList();
        for (String m : mx) {
            if (!MX.matcher(m).matches() || m.length() > 253) {
                throw r.invalid("mailfleet.mta-sts-server.mx", m,
                        "MX host names such as mail.example.com or *.example.com (a wildcard covers one label)");
            }
        }
        return new MtaStsServerSettings(enabled, bind, r.port("mailfleet.mta-sts-server.port", 0), mode, maxAge, mx);
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static MtaStsServerSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }
}
