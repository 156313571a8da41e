package io.mailfleet.cluster.queue;

import com.typesafe.config.Config;
import io.mailfleet.core.sieve.SieveLimits;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How local delivery runs Sieve: the docker-mailserver config directory holding
 * {@code before.dovecot.sieve}, {@code after.dovecot.sieve} and {@code <address>.dovecot.sieve}, and the
 * spam routing of DMS (MOVE_SPAM_TO_JUNK, MARK_SPAM_AS_READ, SPAM_SUBJECT).
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

    /** No scripts at all: every local target is delivered to INBOX (the behaviour before Sieve). */
    public static SieveSettings disabled() {
        return new SieveSettings(false, null, false, false, "", SieveLimits.defaults());
    }

    /**
     * From {@code mailfleet.dms-config-dir}, {@code mailfleet.spam.*} and {@code mailfleet.sieve.enabled};
     * keys that are absent take docker-mailserver's defaults (MOVE_SPAM_TO_JUNK=1).
     */
    public static SieveSettings fromConfig(Config c) {
        boolean enabled = flag(c, "mailfleet.sieve.enabled", true);
        Path dir = null;
        if (c.hasPath("mailfleet.dms-config-dir") && !c.getString("mailfleet.dms-config-dir").isBlank()) {
            dir = Path.of(c.getString("mailfleet.dms-config-dir"));
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("mailfleet.dms-config-dir: \"" + dir + "\" is not a directory");
            }
        }
        boolean junk = flag(c, "mailfleet.spam.move-to-junk", true);
        boolean read = flag(c, "mailfleet.spam.mark-as-read", false);
        String subject = c.hasPath("mailfleet.spam.subject") ? c.getString("mailfleet.spam.subject") : "";
        return new SieveSettings(enabled, dir, junk, read, subject, SieveLimits.defaults());
    }

    /** docker-mailserver writes flags as 1/0 (environment variables), HOCON as true/false: both are read. */
    static boolean flag(Config c, String key, boolean absent) {
        if (!c.hasPath(key)) {
            return absent;
        }
        String v = c.getString(key).strip().toLowerCase(java.util.Locale.ROOT);
        return switch (v) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off", "" -> false;
            default -> throw new IllegalArgumentException(key + ": \"" + v + "\" is not a flag (1/0, true/false, yes/no, on/off)");
        };
    }
}
