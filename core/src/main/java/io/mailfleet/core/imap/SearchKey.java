package io.mailfleet.core.imap;

import java.time.LocalDate;
import java.util.List;

/** A parsed SEARCH criterion (RFC 3501 §6.4.4, plus MODSEQ from RFC 7162). */
public sealed interface SearchKey {

    record All() implements SearchKey {
    }

    record And(List<SearchKey> keys) implements SearchKey {
    }

    record Or(SearchKey a, SearchKey b) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    record Flag(String flag, boolean set) implements SearchKey {
    }

    record Recent(boolean recent) implements SearchKey {
    }

    record New() implements SearchKey {
    }

    record Sequence(SequenceSet set, boolean uid) implements SearchKey {
    }

    record Size(long size, boolean larger) implements SearchKey {
    }

    /** INTERNALDATE ({@code sent} false) or Date: header comparison; cmp -1 before, 0 on, 1 since. */
    record Date(LocalDate date, int cmp, boolean sent) implements SearchKey {
    }

    /** A header field containing {@code value} (empty matches any message with the field). */
    record Header(String field, String value) implements SearchKey {
    }

    /** BODY ({@code withHeaders} false) or TEXT. */
    record Text(String value, boolean withHeaders) implements SearchKey {
    }

    record ModSeq(long modseq) implements SearchKey {
    }

    /** True when evaluating needs the message content. */
    static boolean needsContent(SearchKey k) {
        if (k instanceof And and) {
            return and.keys().stream().anyMatch(SearchKey::needsContent);
        } else if (k instanceof Or or) {
            return needsContent(or.a()) || needsContent(or.b());
        } else if (k instanceof Not not) {
            return needsContent(not.key());
        } else if (k instanceof Date d) {
            return d.sent();
        }
        return k instanceof Header || k instanceof Text;
    }
}
