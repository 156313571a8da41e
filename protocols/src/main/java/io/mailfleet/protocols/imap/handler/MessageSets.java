package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.SelectedFolder;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Sequence sets and uid sets of a command resolved against the selected folder's view. */
final class MessageSets {

    private MessageSets() {
    }

    /** Zero-based indexes of the messages {@code setText} names ({@code $}: the saved search result). */
    static List<Integer> resolve(SessionState session, String setText, boolean uid) {
        SelectedFolder s = session.selected;
        if (setText.equals("$")) {
            List<Integer> out = new ArrayList<>();
            for (long u : session.savedUids) {
                int i = s.indexOf(u);
                if (i >= 0) {
                    out.add(i);
                }
            }
            return out;
        }
        SequenceSet set;
        try {
            set = SequenceSet.parse(setText);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
        List<Integer> out = new ArrayList<>();
        if (uid) {
            long max = s.maxUid();
            for (int i = 0; i < s.count(); i++) {
                if (set.contains(s.messages.get(i).uid(), max)) {
                    out.add(i);
                }
            }
            return out;
        }
        if (!set.allAtMost(s.count())) {
            throw new ImapParseException("Invalid messageset (message sequence number out of range)");
        }
        for (int i = 0; i < s.count(); i++) {
            if (set.contains(i + 1, s.count())) {
                out.add(i);
            }
        }
        return out;
    }

    /** {@code uids} limited to the set {@code setText} (all when null), ascending. */
    static List<Long> filterUids(List<Long> uids, String setText) {
        List<Long> sorted = new ArrayList<>(new TreeSet<>(uids));
        if (setText == null) {
            return sorted;
        }
        SequenceSet set = SequenceSet.parse(setText);
        long max = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
        List<Long> out = new ArrayList<>();
        for (long u : sorted) {
            if (set.contains(u, max)) {
                out.add(u);
            }
        }
        return out;
    }
}
