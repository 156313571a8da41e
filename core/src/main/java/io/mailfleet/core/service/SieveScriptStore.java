package io.mailfleet.core.service;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The Sieve scripts of every account (RFC 5804 semantics: named scripts, at most one active, a
 * per-account quota). Implemented by the cluster module so every node sees the same scripts; used by
 * ManageSieve and by delivery. Refusals complete the stage exceptionally with {@link Refused}.
 * Callers validate script syntax before {@link #put}; the store only enforces names and quota.
 */
public interface SieveScriptStore {

    /** Stores (or replaces) a script; refused with QUOTA/MAXSCRIPTS or QUOTA/MAXSIZE. */
    CompletionStage<Void> put(String account, String name, String source);

    /** Every script of the account, by name. */
    CompletionStage<List<ScriptInfo>> list(String account);

    /** The source of a script, empty when there is none of that name. */
    CompletionStage<Optional<String>> get(String account, String name);

    /** Deletes a script; refused with NONEXISTENT or ACTIVE. */
    CompletionStage<Void> delete(String account, String name);

    /** Renames a script (keeping it active if it was); refused with NONEXISTENT or ALREADYEXISTS. */
    CompletionStage<Void> rename(String account, String from, String to);

    /** Makes {@code name} the active script; the empty name deactivates all. Refused with NONEXISTENT. */
    CompletionStage<Void> setActive(String account, String name);

    /** Completes normally when a script of {@code size} octets named {@code name} would fit the quota. */
    CompletionStage<Void> haveSpace(String account, String name, long size);

    /** The active script, if any. */
    CompletionStage<Optional<Script>> activeScript(String account);

    /** A script name and whether it is the active one. */
    record ScriptInfo(String name, boolean active) {
    }

    /** A script name and its source. */
    record Script(String name, String source) {
    }

    /**
     * A refused operation. {@link #code()} is a ManageSieve response code: NONEXISTENT, ALREADYEXISTS,
     * ACTIVE, QUOTA/MAXSCRIPTS or QUOTA/MAXSIZE.
     */
    final class Refused extends RuntimeException {
        private final String code;

        public Refused(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
