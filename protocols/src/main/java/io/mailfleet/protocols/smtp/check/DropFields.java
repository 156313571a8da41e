package io.mailfleet.protocols.smtp.check;

import java.util.List;
import java.util.Locale;

/**
 * Header fields an end-of-data check wants left out of the received message's header section when it
 * is queued (the sender's copies of fields Mailfleet writes itself, such as {@code X-Spam-*}): a fact of
 * the check's {@link CheckResult.Note}. Our own fields, prepended as trace fields, are never affected.
 *
 * @param names    field names, lower case
 * @param prefixes name prefixes, lower case ({@code x-spam-})
 */
public record DropFields(List<String> names, List<String> prefixes) {

    public DropFields {
        names = List.copyOf(names);
        prefixes = List.copyOf(prefixes);
    }

    /** Whether a field of {@code name} (any case) is to be dropped. */
    public boolean matches(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (names.contains(n)) {
            return true;
        }
        for (String p : prefixes) {
            if (n.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The fields to drop among {@code facts}, or null when none asks. */
    public static DropFields in(List<Object> facts) {
        List<String> names = new java.util.ArrayList<>();
        List<String> prefixes = new java.util.ArrayList<>();
        boolean any = false;
        for (Object f : facts) {
            if (f instanceof DropFields d) {
                names.addAll(d.names);
                prefixes.addAll(d.prefixes);
                any = true;
            }
        }
        return any ? new DropFields(names, prefixes) : null;
    }
}
