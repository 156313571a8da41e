package io.mailfleet.core.directory;

import java.util.List;

/**
 * A change an administrator asks of the directory. Each change concerns one domain (the domain of
 * {@link #address()}), so one {@code Directory} entity can validate it against a consistent state.
 */
public sealed interface DirectoryChange {

    /** The address key the change is about; its domain picks the owning entity. */
    String address();

    /** The domain that owns this change. */
    default String domain() {
        String a = address();
        return a.substring(a.lastIndexOf('@') + 1);
    }

    /** Create an account; fails if it exists or is an alias. */
    record AddAccount(String address, String passwordHash) implements DirectoryChange { }

    /** Replace the password hash; fails if the account does not exist. */
    record UpdatePassword(String address, String passwordHash) implements DirectoryChange { }

    /** Delete an account with its quota and restriction entries; fails if it does not exist. */
    record DeleteAccount(String address) implements DirectoryChange { }

    /** Add one target to an alias (creating it); fails if the alias is an account. */
    record AddAlias(String address, String target) implements DirectoryChange { }

    /** Remove one target of an alias; the alias disappears with its last target. */
    record RemoveAlias(String address, String target) implements DirectoryChange { }

    /** Set an account's quota in bytes (0 = unlimited); fails if the account does not exist. */
    record SetQuota(String address, long bytes) implements DirectoryChange { }

    /** Remove an account's quota entry so the default applies; no error when absent. */
    record DeleteQuota(String address) implements DirectoryChange { }

    /** Add or remove a send or receive restriction for an address. */
    record Restrict(String address, RestrictionKind kind, boolean denied) implements DirectoryChange { }

    /**
     * Replace the regular-expression aliases (they are global, not per domain); {@link #address()}
     * is the fixed pseudo-address of the global entry.
     */
    record ReplaceRegexAliases(List<RegexAlias> aliases) implements DirectoryChange {
        public static final String GLOBAL = "regexp@_global";

        public ReplaceRegexAliases {
            aliases = List.copyOf(aliases);
        }

        @Override
        public String address() {
            return GLOBAL;
        }
    }

    /** Which way a restriction applies. */
    enum RestrictionKind { SEND, RECEIVE }
}
