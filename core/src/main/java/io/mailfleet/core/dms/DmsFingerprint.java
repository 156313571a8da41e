package io.mailfleet.core.dms;

import java.util.Map;
import java.util.TreeMap;

/**
 * A cheap-to-compare identity of a docker-mailserver config directory's directory files.
 *
 * @param stamps      per file name: size and modification time ({@code -1/-1} when missing); compare these
 *                    first, they cost one stat per file
 * @param contentHash SHA-256 over the names and contents of the files, to confirm a real change
 */
public record DmsFingerprint(Map<String, Stamp> stamps, String contentHash) {

    /** Size and modification time of one file. */
    public record Stamp(long size, long modifiedMillis) {
        public static final Stamp MISSING = new Stamp(-1, -1);
    }

    public DmsFingerprint {
        stamps = Map.copyOf(new TreeMap<>(stamps));
    }

    /** Same sizes and modification times: nothing to reload. */
    public boolean sameStamps(Map<String, Stamp> other) {
        return stamps.equals(other);
    }
}
