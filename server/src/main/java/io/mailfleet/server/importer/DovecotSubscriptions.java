package io.mailfleet.server.importer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A Maildir's Dovecot {@code subscriptions} file: version 2 ({@code V\t2}, an empty line, then one
 * name a line with its hierarchy levels separated by TAB) or the older one name a line with the
 * namespace's separator. Names come out with the node's hierarchy delimiter; blank lines are left out.
 */
public final class DovecotSubscriptions {

    private DovecotSubscriptions() {
    }

    /** The subscribed folder names, in file order, without repeats. */
    public static List<String> parse(List<String> lines, char delimiter) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        boolean v2 = !lines.isEmpty() && lines.get(0).startsWith("V\t");
        for (int i = v2 ? 1 : 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String name = v2 ? String.join(String.valueOf(delimiter), line.split("\t", -1)) : line.strip();
            names.add(name.equalsIgnoreCase("INBOX") ? "INBOX" : name);
        }
        return new ArrayList<>(names);
    }
}
