package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mailfleet.quotas.warnings}: the mails docker-mailserver's quota-warning script sends from
 * {@code POSTMASTER_ADDRESS} when a mailbox's usage crosses a percentage of its quota (80 % and 95 % by
 * default), with their subject and text ({@code {percent}}, {@code {account}}, {@code {used}} and
 * {@code {quota}} (bytes) are filled in).
 *
 * @param enabled off with {@code enabled = false} or when quotas are off
 * @param levels  one per percentage, highest first
 */
public record QuotaWarningSettings(boolean enabled, List<Level> levels) {

    /** One warning: sent when usage reaches {@code percent} % of the quota. */
    public record Level(int percent, String subject, String text) {
    }

    private static final String KEY = "mailfleet.quotas.warnings.levels";

    /** Reads and checks the keys; a bad value names its key. */
    static QuotaWarningSettings read(ValueReader r) {
        boolean enabled = r.bool("mailfleet.quotas.warnings.enabled") && r.bool("mailfleet.quotas.enabled");
        List<? extends Config> raw;
        try {
            raw = r.config().getConfigList(KEY);
        } catch (ConfigException e) {
            throw r.invalid(KEY, r.config().hasPath(KEY) ? r.config().getValue(KEY).render() : "",
                    "a list of { percent = 80, subject = \"...\", text = \"...\" }");
        }
        List<Level> levels = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Config c = raw.get(i);
            String at = KEY + "[" + i + "]";
            int percent;
            try {
                percent = c.getInt("percent");
            } catch (ConfigException e) {
                throw r.invalid(at + ".percent", c.hasPath("percent") ? c.getValue("percent").render() : "",
                        "a whole number 1..100");
            }
            if (percent < 1 || percent > 100 || levels.stream().anyMatch(l -> l.percent() == percent)) {
                throw r.invalid(at + ".percent", Integer.toString(percent), "a whole number 1..100, once per list");
            }
            String subject = text(r, c, at, "subject");
            String text = text(r, c, at, "text");
            if (subject.contains("\r") || subject.contains("\n")) {
                throw r.invalid(at + ".subject", subject, "one line of text");
            }
            levels.add(new Level(percent, subject, text));
        }
        levels.sort((a, b) -> b.percent() - a.percent());
        return new QuotaWarningSettings(enabled && !levels.isEmpty(), List.copyOf(levels));
    }

    private static String text(ValueReader r, Config c, String at, String field) {
        try {
            String s = c.getString(field);
            if (!s.isBlank()) {
                return s;
            }
        } catch (ConfigException e) {
            // falls through to the error below
        }
        throw r.invalid(at + "." + field, c.hasPath(field) ? c.getValue(field).render() : "", "a non-empty text");
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static QuotaWarningSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }

    /** The percentages, highest first. */
    public List<Integer> percentages() {
        return levels.stream().map(Level::percent).toList();
    }

    /** The warning for {@code percent}. */
    public Level level(int percent) {
        return levels.stream().filter(l -> l.percent() == percent).findFirst().orElseThrow();
    }
}
