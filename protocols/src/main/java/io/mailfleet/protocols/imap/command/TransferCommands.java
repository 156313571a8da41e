package io.mailfleet.protocols.imap.command;

import io.mailfleet.protocols.imap.Args;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.Literal;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Requests and grammar of the commands that put messages into a mailbox: APPEND (MULTIAPPEND), COPY, MOVE. */
public final class TransferCommands {

    private static final DateTimeFormatter APPEND_DATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("[ ]d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    private TransferCommands() {
    }

    /** APPEND mailbox message...: one item per message (RFC 3502), never empty. */
    public record Append(String mailbox, List<AppendItem> items) implements ImapRequest {
    }

    /** One message of an APPEND: its flags, internal date and the literal streamed into the blob store. */
    public record AppendItem(Set<String> flags, Instant date, Literal literal) {
    }

    /** [UID] COPY or MOVE ({@code move}) set mailbox. */
    public record Copy(boolean uid, String set, String target, boolean move) implements ImapRequest {
    }

    public static Append append(Args a, ParseContext c) {
        a.sp();
        String mbox = c.mailbox(a);
        List<AppendItem> items = new ArrayList<>();
        while (a.tryChar(' ')) {
            Set<String> flags = Set.of();
            Instant date = Instant.now();
            if (a.peek() == '(') {
                flags = new HashSet<>(a.flagList(false));
                a.sp();
            }
            if (a.peek() == '"') {
                String d = a.quoted();
                try {
                    date = ZonedDateTime.parse(d, APPEND_DATE).toInstant();
                } catch (DateTimeParseException e) {
                    throw new ImapParseException("invalid date-time " + d);
                }
                a.sp();
            }
            Literal lit;
            if (a.peek() == 'U' || a.peek() == 'u') {
                // RFC 6855 §4: append-data =/ "UTF8" SP "(" literal8 ")", a message with UTF-8 headers.
                String ext = a.atom();
                if (!ext.equalsIgnoreCase("UTF8")) {
                    throw new ImapParseException("unknown APPEND data item " + ext);
                }
                if (!c.utf8()) {
                    throw new ImapParseException("APPEND UTF8 needs ENABLE UTF8=ACCEPT first");
                }
                a.sp();
                a.expect('(');
                lit = a.literal();
                a.expect(')');
            } else {
                lit = a.literal();
            }
            if (lit.blob() == null) {
                throw new ImapParseException("expected a message literal");
            }
            items.add(new AppendItem(flags, date, lit));
        }
        a.end();
        if (items.isEmpty()) {
            throw new ImapParseException("missing message literal");
        }
        return new Append(mbox, List.copyOf(items));
    }

    public static Copy copy(Args a, ParseContext c, boolean uid, boolean move) {
        a.sp();
        String set = a.atom("*");
        a.sp();
        String target = c.mailbox(a);
        a.end();
        return new Copy(uid, set, target, move);
    }
}
