package io.mailfleet.core.sieve;

import java.util.Optional;

/** Finds scripts for include (RFC 6609): the user's own scripts or the site's global ones. */
public interface ScriptResolver {
    /** Where an included script lives. */
    enum Location { PERSONAL, GLOBAL }

    /** The compiled script, or empty when it does not exist; a script that does not compile throws. */
    Optional<CompiledScript> resolve(Location location, String name) throws ParseException;

    /** A resolver that finds nothing. */
    static ScriptResolver none() {
        return (location, name) -> Optional.empty();
    }
}
