package io.mailfleet.core.imap;

import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.Address;
import io.mailfleet.core.mime.Envelope;
import jakarta.mail.internet.MailDateFormat;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What SORT and THREAD compare of one message (RFC 5256): {@code id} is the number reported (sequence
 * number or uid), {@code seq} breaks ties, the sent date falls back to the internal date, address keys
 * are the lower-cased local part of the first address (a group's name for a group).
 */
public record SortData(long id, int seq, Instant arrival, Instant sent, long size, BaseSubject subject,
                       String from, String to, String cc, String messageId, String inReplyTo) {

    /** Sort data of {@code m} from its summary (no I/O). */
    public static SortData of(long id, int seq, MessageView m) {
        Envelope e = m.summary().envelope();
        return new SortData(id, seq, m.internalDate(), sentDate(e.date(), m.internalDate()), m.size(),
                BaseSubject.of(e.subject()), mailbox(e.from()), mailbox(e.to()), mailbox(e.cc()), e.messageId(),
                e.inReplyTo());
    }

    static Instant sentDate(String date, Instant fallback) {
        if (date == null) {
            return fallback;
        }
        try {
            return new MailDateFormat().parse(date).toInstant();
        } catch (ParseException | RuntimeException e) {
            return fallback;
        }
    }

    /** The addr-mailbox of the first address (RFC 5256): a group's own name when the list starts with one. */
    private static String mailbox(List<Address> list) {
        for (Address a : list) {
            if (a.mailbox() != null) {
                return a.mailbox().toLowerCase(Locale.ROOT);
            }
        }
        return "";
    }
}
