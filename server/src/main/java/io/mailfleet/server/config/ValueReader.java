package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads typed values from the merged configuration; every bad value becomes a one-line {@link ConfigError}. */
final class ValueReader {

    private final Config config;
    private final Map<String, String> envSources;

    ValueReader(Config config, Map<String, String> envSources) {
        this.config = config;
        this.envSources = envSources;
    }

    /** The configuration read from, for a key type this reader has no method for. */
    Config config() {
        return config;
    }

    String string(String key) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            throw invalid(key, render(v), "a single text value");
        }
        Object raw = v.unwrapped();
        return raw == null ? "" : raw.toString().trim();
    }

    /** As {@link #string}, keeping leading and trailing spaces (a subject tag such as "[SPAM] "). */
    String untrimmedString(String key) {
        string(key);
        Object raw = value(key).unwrapped();
        return raw == null ? "" : raw.toString();
    }

    boolean bool(String key) {
        String s = string(key).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw invalid(key, s, "1/0, true/false, yes/no or on/off");
        };
    }

    long longIn(String key, long min, long max, String what) {
        String s = string(key);
        try {
            long n = Long.parseLong(s);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw invalid(key, s, what);
    }

    int intIn(String key, int min, int max) {
        return (int) longIn(key, min, max, "a whole number " + min + ".." + max);
    }

    /** A port with the offset added; 0 (any free port) stays 0. */
    int port(String key, int offset) {
        long p = longIn(key, 0, 65535, "a port number 1..65535, or 0 for any free port");
        if (p == 0) {
            return 0;
        }
        long effective = p + offset;
        if (effective < 1 || effective > 65535) {
            throw invalid(key, Long.toString(p), "a port number that stays within 1..65535 after adding"
                    + " mailfleet.port-offset " + offset + " (gives " + effective + ")");
        }
        return (int) effective;
    }

    /** A size in bytes: a plain number, or a HOCON size such as {@code 10M} / {@code 512 KiB}. */
    long bytes(String key) {
        String s = string(key);
        if (s.matches("[0-9]+")) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw invalid(key, s, "a size in bytes up to " + Long.MAX_VALUE);
            }
        }
        try {
            long n = config.getBytes(key);
            if (n >= 0) {
                return n;
            }
        } catch (ConfigException e) {
            // falls through to the error below
        }
        throw invalid(key, s, "a size in bytes (e.g. 10240000) or with a unit (e.g. 10M), 0 = unlimited");
    }

    Duration duration(String key) {
        String s = string(key);
        try {
            Duration d = config.getDuration(key);
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (ConfigException e) {
            // falls through to the error below
        }
        throw invalid(key, s, "a positive duration such as 300s or 5m");
    }

    /**
     * A duration within {@code [min, max]}. A bare number other than 0 is refused: HOCON would read
     * it as milliseconds, which is never what "60" means in an environment variable.
     */
    Duration durationIn(String key, Duration min, Duration max, String what) {
        String s = string(key);
        if (!s.trim().matches("\\d+") || s.trim().equals("0")) {
            try {
                Duration d = config.getDuration(key);
                if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
                    return d;
                }
            } catch (ConfigException e) {
                // falls through to the error below
            }
        }
        throw invalid(key, s, what);
    }

    <E> E choice(String key, Map<String, E> allowed) {
        String s = string(key);
        E e = allowed.get(s.toLowerCase(Locale.ROOT));
        if (e == null) {
            List<String> names = new ArrayList<>();
            allowed.keySet().forEach(k -> names.add(k.isEmpty() ? "\"\"" : k));
            throw invalid(key, s, "one of " + String.join(", ", names));
        }
        return e;
    }

    /** A list given either as a HOCON list or as one comma-separated string. */
    List<String> stringList(String key) {
        ConfigValue v = value(key);
        List<String> out = new ArrayList<>();
        if (v instanceof ConfigList list) {
            for (ConfigValue item : list) {
                if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST) {
                    throw invalid(key, render(v), "a list of text values");
                }
                String s = String.valueOf(item.unwrapped()).trim();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        }
        if (v.valueType() == ConfigValueType.OBJECT) {
            throw invalid(key, render(v), "a list such as [\"a\", \"b\"] or a comma-separated text");
        }
        for (String part : String.valueOf(v.unwrapped()).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    ConfigError invalid(String key, String value, String allowed) {
        return new ConfigError("invalid value for " + key + source(key) + ": \"" + value + "\" — allowed: " + allowed);
    }

    private ConfigValue value(String key) {
        try {
            if (!config.hasPathOrNull(key)) {
                throw new ConfigError("missing setting " + key + " — it has no default; set it in the configuration file");
            }
            if (config.getIsNull(key)) {
                throw new ConfigError("setting " + key + source(key) + " is null — give it a value or remove the line");
            }
            return config.getValue(key);
        } catch (ConfigException e) {
            // a parent path holds a scalar where a section is expected
            throw new ConfigError("setting " + key + " cannot be read: " + e.getMessage());
        }
    }

    /** " (from environment variable X)" or " (from FILE line N)", empty for defaults. */
    String source(String key) {
        String env = envSources.get(key);
        if (env != null) {
            return " (from environment variable " + env + ")";
        }
        try {
            if (config.hasPathOrNull(key)) {
                ConfigOrigin o = config.getValue(key).origin();
                if (o.filename() != null && !o.filename().endsWith("reference.conf")) {
                    return " (from " + o.filename() + " line " + o.lineNumber() + ")";
                }
            }
        } catch (ConfigException e) {
            return "";
        }
        return "";
    }

    private static String render(ConfigValue v) {
        if (v instanceof ConfigObject || v instanceof ConfigList) {
            return v.render(com.typesafe.config.ConfigRenderOptions.concise());
        }
        return String.valueOf(v.unwrapped());
    }
}
