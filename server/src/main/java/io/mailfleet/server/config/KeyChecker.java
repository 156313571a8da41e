package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Rejects keys under {@code mailfleet.} that no reference.conf defines, suggesting a close match. */
final class KeyChecker {

    private static final int MAX_DISTANCE = 2;

    private final Config reference;
    private final TreeSet<String> knownLeaves = new TreeSet<>();

    KeyChecker(Config reference) {
        this.reference = reference;
        if (reference.hasPath("mailfleet")) {
            collect(reference.getObject("mailfleet"), "mailfleet", knownLeaves);
        }
    }

    /** Throws a {@link ConfigError} for the first unknown key in the user's configuration. */
    void check(Config user) {
        if (!user.root().containsKey("mailfleet")) {
            return;
        }
        ConfigValue top = user.root().get("mailfleet");
        if (!(top instanceof ConfigObject obj)) {
            throw new ConfigError("mailfleet" + where(top) + " must be a section { ... }, not "
                    + top.valueType().name().toLowerCase());
        }
        List<String> leaves = new ArrayList<>();
        Map<String, ConfigValue> origins = new java.util.HashMap<>();
        collect(obj, "mailfleet", leaves, origins);
        for (String key : leaves) {
            if (knownLeaves.contains(key) || underOpenSection(key)) {
                continue;
            }
            ConfigValue v = origins.get(key);
            if (reference.hasPathOrNull(key) && reference.getValue(key) instanceof ConfigObject) {
                throw new ConfigError(key + where(v) + " is a section { ... } and cannot be set to a single value");
            }
            Optional<String> close = closest(key);
            throw new ConfigError(close
                    .map(c -> "unknown key " + key + " — did you mean " + c + "?" + where(v))
                    .orElse("unknown key " + key
                            + " — not a Mailfleet setting (all keys are listed in docs/configuration.md)" + where(v)));
        }
    }

    Optional<String> closest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : knownLeaves) {
            int d = levenshtein(key, known, MAX_DISTANCE);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return bestDistance <= MAX_DISTANCE ? Optional.of(best) : Optional.empty();
    }

    /** An empty object in the reference is a user-filled map: anything below it is accepted. */
    private boolean underOpenSection(String key) {
        String path = key;
        int dot;
        while ((dot = path.lastIndexOf('.')) > 0) {
            path = path.substring(0, dot);
            try {
                if (reference.hasPath(path) && reference.getValue(path) instanceof ConfigObject o && o.isEmpty()) {
                    return true;
                }
            } catch (com.typesafe.config.ConfigException.BadPath e) {
                // cut inside a quoted key such as "example.org": not a path, go on to the parent
            }
        }
        return false;
    }

    private static String where(ConfigValue v) {
        if (v == null || v.origin().filename() == null) {
            return "";
        }
        return " (in " + v.origin().filename() + " line " + v.origin().lineNumber() + ")";
    }

    private static void collect(ConfigObject obj, String prefix, java.util.Collection<String> out) {
        collect(obj, prefix, out, null);
    }

    private static void collect(ConfigObject obj, String prefix, java.util.Collection<String> out,
                                Map<String, ConfigValue> origins) {
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            String path = prefix + "." + ConfigUtil.quoteString(e.getKey()).replaceAll("^\"([A-Za-z0-9_-]+)\"$", "$1");
            if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
                collect(child, path, out, origins);
            } else {
                out.add(path);
                if (origins != null) {
                    origins.put(path, e.getValue());
                }
            }
        }
    }

    /** Levenshtein distance, giving up early (returning limit + 1) once it exceeds the limit. */
    static int levenshtein(String a, String b, int limit) {
        if (Math.abs(a.length() - b.length()) > limit) {
            return limit + 1;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            int rowMin = cur[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
                rowMin = Math.min(rowMin, cur[j]);
            }
            if (rowMin > limit) {
                return limit + 1;
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
