package io.mailfleet.server.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The docker-mailserver variables Mailfleet does not implement: a user moving over must hear that
 * {@code ENABLE_AMAVIS=1} does nothing here, not find out when the first virus arrives.
 */
public final class UnsupportedVariables {

    private static final String RESOURCE = "dms-unsupported.properties";

    private final Map<String, String> hints;

    private UnsupportedVariables(Map<String, String> hints) {
        this.hints = hints;
    }

    /** The list shipped with this version. */
    public static UnsupportedVariables shipped() {
        Properties p = new Properties();
        try (InputStream in = UnsupportedVariables.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> m = new TreeMap<>();
        p.forEach((k, v) -> m.put(k.toString(), v.toString()));
        return new UnsupportedVariables(m);
    }

    /** Every variable on the list, with its hint. */
    public Map<String, String> all() {
        return Map.copyOf(hints);
    }

    /**
     * One warning naming each unsupported variable set in {@code env} and what to use instead;
     * empty when none is. An {@code ENABLE_*} set to {@code 0} asks for nothing and is not named.
     */
    public Optional<String> warning(Map<String, String> env) {
        List<String> named = new ArrayList<>();
        for (Map.Entry<String, String> e : hints.entrySet()) {
            String value = env.get(e.getKey());
            if (value == null || value.isBlank() || (e.getKey().startsWith("ENABLE_") && value.strip().equals("0"))) {
                continue;
            }
            named.add(e.getKey() + " is set but not supported: " + e.getValue());
        }
        if (named.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(String.join("; ", named) + " (docs/docker-mailserver-migration.md lists them all)");
    }
}
