package io.mailfleet.core.sieve;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** What the delivery code must do with the message after a script ran. */
public sealed interface SieveAction {

    /** Store in INBOX with these IMAP flags (explicit keep or implicit keep). */
    record Keep(Set<String> flags) implements SieveAction {
    }

    /**
     * Store in {@code folder}; {@code create} asks to create it if missing (RFC 5490); when
     * {@code specialUse} is set (RFC 8579) the folder carrying that special-use flag wins if it exists.
     */
    record FileInto(String folder, Set<String> flags, boolean create, String specialUse, boolean copy)
            implements SieveAction {
        public FileInto withCopy() {
            return new FileInto(folder, flags, create, specialUse, true);
        }
    }

    /** Forward a copy to {@code address} (a new message in the queue). */
    record Redirect(String address, boolean copy) implements SieveAction {
    }

    /** Silently drop (only meaningful when nothing else stores the message). */
    record Discard() implements SieveAction {
    }

    /** Refuse: RFC 5429 reject (MDN/DSN after acceptance) or ereject (SMTP-level refusal when possible). */
    record Reject(String reason, boolean smtpLevel) implements SieveAction {
    }

    /**
     * Send an auto-reply (already decided: the {@link VacationLog} agreed and the message is not from a
     * list or a robot). {@code body} is the reason text, or a MIME entity when {@code mime}.
     */
    record Vacation(String to, String from, String subject, String body, boolean mime, String handle,
                    Duration period, String inReplyTo, String references) implements SieveAction {
    }

    /** editheader: a header field added ({@code last}: at the end of the header block). */
    record AddHeader(String name, String value, boolean last) implements SieveAction {
    }

    /** editheader: occurrences (1-based among fields of that name at that moment) deleted. */
    record DeleteHeader(String name, List<Integer> occurrences) implements SieveAction {
    }
}
