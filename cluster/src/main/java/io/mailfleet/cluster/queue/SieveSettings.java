package io.mailfleet.cluster.queue;

import io.mailfleet.core.sieve.SieveLimits;

import java.nio.file.Path;

/**
 * How local delivery runs Sieve: the docker-mailserver config directory holding
 * {@code before.dovecot.sieve}, {@code after.dovecot.sieve} and {@code <address>.dovecot.sieve}, and the
 * spam routing of DMS (MOVE_SPAM_TO_JUNK, MARK_SPAM_AS_READ, SPAM_SUBJECT). Built by the server from its
 * validated configuration.
 *
 * @param enabled      false delivers every local target to INBOX without running any script
 * @param dmsConfigDir the DMS config volume, or null
 * @param moveToJunk   spam goes to the \Junk folder
 * @param markAsRead   spam is flagged \Seen
 * @param spamSubject  prefix of the Subject of spam, "" for none
 * @param limits       interpreter limits
 */
public record SieveSettings(boolean enabled, Path dmsConfigDir, boolean moveToJunk, boolean markAsRead,
                            String spamSubject, SieveLimits limits) {
    public SieveSettings {
        spamSubject = spamSubject == null ? "" : spamSubject;
        limits = limits == null ? SieveLimits.defaults() : limits;
    }

    /** Sieve on with docker-mailserver's defaults and no config directory (MOVE_SPAM_TO_JUNK=1, no subject tag). */
    public static SieveSettings dmsDefaults() {
        return new SieveSettings(true, null, true, false, "", SieveLimits.defaults());
    }

    /** No scripts at all: every local target is delivered to INBOX (the behaviour before Sieve). */
    public static SieveSettings disabled() {
        return new SieveSettings(false, null, false, false, "", SieveLimits.defaults());
    }
}
