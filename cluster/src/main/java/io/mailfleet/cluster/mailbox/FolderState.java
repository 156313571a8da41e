package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mime.MessageSummary;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One folder inside a {@link MailboxEntity}'s state. Mutable on purpose: it never leaves the entity
 * (replies copy what they need), and a large folder must not be copied on every append.
 */
public final class FolderState {
    private String name;
    private final long uidValidity;
    private final String specialUse;
    private long uidNext = 1;
    private boolean subscribed;
    private long highestModseq;
    /** Uids up to here were reported as \Recent to some session already. */
    private long recentBoundary;
    private final TreeMap<Long, MessageMeta> messages = new TreeMap<>();
    private final Map<Long, MessageSummary> summaries = new HashMap<>();
    /** Expunged uid to the modseq of its expunge, kept for QRESYNC VANISHED. */
    private final TreeMap<Long, Long> expunged = new TreeMap<>();

    public FolderState(String name, long uidValidity, String specialUse, boolean subscribed) {
        this.name = name;
        this.uidValidity = uidValidity;
        this.specialUse = specialUse;
        this.subscribed = subscribed;
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        name = newName;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public String specialUse() {
        return specialUse;
    }

    public boolean subscribed() {
        return subscribed;
    }

    void setSubscribed(boolean s) {
        subscribed = s;
    }

    public long highestModseq() {
        return highestModseq;
    }

    void raiseModseq(long m) {
        highestModseq = Math.max(highestModseq, m);
    }

    public long recentBoundary() {
        return recentBoundary;
    }

    void raiseRecentBoundary(long uid) {
        recentBoundary = Math.max(recentBoundary, uid);
    }

    void append(MessageMeta m) {
        messages.put(m.uid(), m);
        uidNext = Math.max(uidNext, m.uid() + 1);
        highestModseq = Math.max(highestModseq, m.modseq());
    }

    void replace(MessageMeta m) {
        messages.put(m.uid(), m);
        highestModseq = Math.max(highestModseq, m.modseq());
    }

    MessageMeta remove(long uid, long modseq) {
        MessageMeta m = messages.remove(uid);
        summaries.remove(uid);
        if (m != null) {
            expunged.put(uid, modseq);
        }
        highestModseq = Math.max(highestModseq, modseq);
        return m;
    }

    void raiseUidNext(long n) {
        uidNext = Math.max(uidNext, n);
    }

    public int count() {
        return messages.size();
    }

    public Collection<MessageMeta> messages() {
        return messages.values();
    }

    public MessageMeta message(long uid) {
        return messages.get(uid);
    }

    public NavigableMap<Long, MessageMeta> messageMap() {
        return messages;
    }

    public MessageSummary summary(long uid) {
        return summaries.get(uid);
    }

    void attachSummary(long uid, MessageSummary s) {
        if (messages.containsKey(uid) && s != null) {
            summaries.put(uid, s);
        }
    }

    Map<Long, MessageSummary> summaries() {
        return summaries;
    }

    public NavigableMap<Long, Long> expunged() {
        return expunged;
    }

    public long size() {
        long s = 0;
        for (MessageMeta m : messages.values()) {
            s += m.size();
        }
        return s;
    }

    public int unseen() {
        int n = 0;
        for (MessageMeta m : messages.values()) {
            if (!m.flags().contains("\\Seen")) {
                n++;
            }
        }
        return n;
    }

    public int recentCount() {
        return messages.tailMap(recentBoundary, false).size();
    }
}
