package io.mailfleet.server.admin;

import java.util.List;

/**
 * The outcome of an accepted change: the normalised address it applied to, whether anything changed,
 * and warnings for the operator (such as an address lower-cased).
 */
public record ChangeResult(String address, boolean changed, List<String> warnings) {

    public ChangeResult {
        warnings = List.copyOf(warnings);
    }

    static ChangeResult changed(String address, List<String> warnings) {
        return new ChangeResult(address, true, warnings);
    }

    static ChangeResult unchanged(String address) {
        return new ChangeResult(address, false, List.of());
    }
}
