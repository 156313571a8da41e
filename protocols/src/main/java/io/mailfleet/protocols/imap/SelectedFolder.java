package io.mailfleet.protocols.imap;

import io.mailfleet.core.mailbox.MessageView;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A session's view of its selected folder: messages by sequence number, \Recent uids owned. */
public final class SelectedFolder {
    public final String name;
    public final boolean readOnly;
    public final long uidValidity;
    public long uidNext;
    public long highestModseq;
    /** The folder's modseq up to which this view was reconciled with the mailbox (SELECT or changesSince). */
    public long syncedModseq;
    public final List<MessageView> messages;
    public final Set<Long> recent = new HashSet<>();

    public SelectedFolder(String name, boolean readOnly, long uidValidity, long uidNext, long highestModseq,
                   List<MessageView> messages) {
        this.name = name;
        this.readOnly = readOnly;
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.syncedModseq = highestModseq;
        this.messages = new ArrayList<>(messages);
    }

    /** A copy for work off the event loop: later changes to this view do not reach it. */
    public SelectedFolder snapshot() {
        SelectedFolder copy = new SelectedFolder(name, readOnly, uidValidity, uidNext, highestModseq, messages);
        copy.syncedModseq = syncedModseq;
        copy.recent.addAll(recent);
        return copy;
    }

    public int count() {
        return messages.size();
    }

    public long maxUid() {
        return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).uid();
    }

    /** Zero-based index of {@code uid}, or negative when absent. */
    public int indexOf(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = messages.get(mid).uid();
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public int unseenFirst() {
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).flags().contains("\\Seen")) {
                return i + 1;
            }
        }
        return 0;
    }

    public List<String> flagsOf(MessageView m) {
        List<String> f = new ArrayList<>(m.flags());
        Collections.sort(f);
        if (recent.contains(m.uid())) {
            f.add("\\Recent");
        }
        return f;
    }

    public Set<String> keywords() {
        Set<String> k = new java.util.TreeSet<>();
        for (MessageView m : messages) {
            for (String f : m.flags()) {
                if (!f.startsWith("\\")) {
                    k.add(f);
                }
            }
        }
        return k;
    }
}
