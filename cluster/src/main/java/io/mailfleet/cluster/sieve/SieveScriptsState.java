package io.mailfleet.cluster.sieve;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scripts of one account by name and the active one ({@code ""} when none). Immutable; also the
 * persisted snapshot.
 */
public record SieveScriptsState(Map<String, String> scripts, String active) {

    public SieveScriptsState {
        scripts = Map.copyOf(scripts);
        active = active == null ? "" : active;
    }

    static SieveScriptsState empty() {
        return new SieveScriptsState(Map.of(), "");
    }

    /** Octets of all scripts except {@code excluded} (which a put would replace). */
    long totalBytesWithout(String excluded) {
        long n = 0;
        for (Map.Entry<String, String> e : scripts.entrySet()) {
            if (!e.getKey().equals(excluded)) {
                n += bytes(e.getValue());
            }
        }
        return n;
    }

    static long bytes(String source) {
        return source.getBytes(StandardCharsets.UTF_8).length;
    }

    SieveScriptsState put(String name, String source) {
        TreeMap<String, String> m = new TreeMap<>(scripts);
        m.put(name, source);
        return new SieveScriptsState(m, active);
    }

    SieveScriptsState delete(String name) {
        TreeMap<String, String> m = new TreeMap<>(scripts);
        m.remove(name);
        return new SieveScriptsState(m, active.equals(name) ? "" : active);
    }

    SieveScriptsState rename(String from, String to) {
        TreeMap<String, String> m = new TreeMap<>(scripts);
        String source = m.remove(from);
        if (source != null) {
            m.put(to, source);
        }
        return new SieveScriptsState(m, active.equals(from) ? to : active);
    }

    SieveScriptsState activate(String name) {
        return new SieveScriptsState(scripts, name);
    }
}
