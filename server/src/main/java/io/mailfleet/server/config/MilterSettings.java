package io.mailfleet.server.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The milters asked about every message at the end of data ({@code mailfleet.milter}), as Postfix's
 * {@code smtpd_milters}: each {@code inet:host:port} or {@code unix:/path}, optionally in Postfix's
 * per-milter form {@code { inet:host:port, default_action = accept, command_timeout = 10s }}.
 */
public record MilterSettings(List<Milter> milters) {

    /** What a failed call gives: Postfix's {@code milter_default_action} {@code accept} or {@code tempfail}. */
    public enum DefaultAction { ACCEPT, TEMPFAIL }

    /**
     * One milter.
     *
     * @param spec           the address as configured ({@code inet:127.0.0.1:8891}), its name in logs and metrics
     * @param connectTimeout Postfix's {@code milter_connect_timeout}
     * @param commandTimeout Postfix's {@code milter_command_timeout}: each reply but the one to the end of the message
     * @param contentTimeout Postfix's {@code milter_content_timeout}: the reply to the end of the message
     */
    public record Milter(String spec, SocketAddress address, DefaultAction defaultAction, Duration connectTimeout,
                         Duration commandTimeout, Duration contentTimeout, int maxConcurrent, int maxWaiting) {
    }

    private static final Map<String, DefaultAction> ACTIONS = Map.of("accept", DefaultAction.ACCEPT,
            "tempfail", DefaultAction.TEMPFAIL);

    static MilterSettings read(ValueReader r) {
        DefaultAction action = r.choice("mailfleet.milter.default-action", ACTIONS);
        Duration connect = timeout(r, "mailfleet.milter.connect-timeout");
        Duration command = timeout(r, "mailfleet.milter.command-timeout");
        Duration content = timeout(r, "mailfleet.milter.content-timeout");
        int max = r.intIn("mailfleet.milter.max-concurrent", 1, 1000);
        int waiting = r.intIn("mailfleet.milter.max-waiting", 0, 100_000);
        List<Milter> out = new ArrayList<>();
        for (String entry : r.stringList("mailfleet.milter.milters")) {
            out.add(milter(r, entry.strip(), action, connect, command, content, max, waiting));
        }
        return new MilterSettings(List.copyOf(out));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static MilterSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }

    private static Duration timeout(ValueReader r, String key) {
        return r.durationIn(key, Duration.ofMillis(100), Duration.ofMinutes(30), "a duration from 100ms to 30m, such as 30s");
    }

    private static Milter milter(ValueReader r, String entry, DefaultAction action, Duration connect, Duration command,
                                 Duration content, int max, int waiting) {
        String key = "mailfleet.milter.milters";
        String spec = entry;
        if (entry.startsWith("{")) {
            if (!entry.endsWith("}")) {
                throw r.invalid(key, entry, "inet:host:port, unix:/path or { inet:host:port, default_action = accept }");
            }
            String[] parts = entry.substring(1, entry.length() - 1).split(",");
            spec = parts[0].strip();
            for (int i = 1; i < parts.length; i++) {
                String[] kv = parts[i].split("=", 2);
                String name = kv[0].strip().toLowerCase(Locale.ROOT);
                String value = kv.length == 2 ? kv[1].strip() : "";
                switch (name) {
                    case "default_action" -> {
                        action = ACTIONS.get(value.toLowerCase(Locale.ROOT));
                        if (action == null) {
                            throw r.invalid(key, entry, "default_action = accept or tempfail");
                        }
                    }
                    case "connect_timeout" -> connect = duration(r, entry, value);
                    case "command_timeout" -> command = duration(r, entry, value);
                    case "content_timeout" -> content = duration(r, entry, value);
                    default -> throw r.invalid(key, entry,
                            "settings default_action, connect_timeout, command_timeout or content_timeout");
                }
            }
        }
        return new Milter(spec, address(r, key, spec), action, connect, command, content, max, waiting);
    }

    private static Duration duration(ValueReader r, String entry, String value) {
        try {
            Duration d = com.typesafe.config.ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"")
                    .getDuration("d");
            if (d.compareTo(Duration.ofMillis(100)) >= 0 && d.compareTo(Duration.ofMinutes(30)) <= 0) {
                return d;
            }
        } catch (RuntimeException e) {
            // falls through to the error below
        }
        throw r.invalid("mailfleet.milter.milters", entry, "time-outs from 100ms to 30m, such as 30s");
    }

    private static SocketAddress address(ValueReader r, String key, String spec) {
        if (spec.startsWith("unix:") && spec.length() > 6 && spec.charAt(5) == '/') {
            return UnixDomainSocketAddress.of(Path.of(spec.substring(5)));
        }
        if (spec.startsWith("inet:")) {
            Optional<InetSocketAddress> address = HostPort.parse(spec.substring(5));
            if (address.isPresent()) {
                return address.get();
            }
        }
        throw r.invalid(key, spec, "inet:host:port or unix:/absolute/path");
    }
}
