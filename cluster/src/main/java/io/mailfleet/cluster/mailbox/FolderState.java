package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mime.MessageSummary;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

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
    /** (modseq, uid) of every message and of every expunge, so "what changed since" costs O(changes). */
    private final TreeSet<ModKey> messagesByModseq = new TreeSet<>();
    private final TreeSet<ModKey> expungedByModseq = new TreeSet<>();

    /** Index key ordered by modseq, then uid. */
    private record ModKey(long modseq, long uid) implements Comparable<ModKey> {
        @Override
        public int compareTo(ModKey o) {
            int c = Long.compare(modseq, o.modseq);
            return c != 0 ? c : Long.compare(uid, o.uid);
        }
    }

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
        index(messages.put(m.uid(), m), m);
        uidNext = Math.max(uidNext, m.uid() + 1);
        highestModseq = Math.max(highestModseq, m.modseq());
    }

    void replace(MessageMeta m) {
        index(messages.put(m.uid(), m), m);
        highestModseq = Math.max(highestModseq, m.modseq());
    }

    MessageMeta remove(long uid, long modseq) {
        MessageMeta m = messages.remove(uid);
        summaries.remove(uid);
        if (m != null) {
            messagesByModseq.remove(new ModKey(m.modseq(), uid));
            recordExpunge(uid, modseq);
        }
        highestModseq = Math.max(highestModseq, modseq);
        return m;
    }

    private void index(MessageMeta old, MessageMeta now) {
        if (old != null) {
            messagesByModseq.remove(new ModKey(old.modseq(), old.uid()));
        }
        messagesByModseq.add(new ModKey(now.modseq(), now.uid()));
    }

    private void recordExpunge(long uid, long modseq) {
        Long old = expunged.put(uid, modseq);
        if (old != null) {
            expungedByModseq.remove(new ModKey(old, uid));
        }
        expungedByModseq.add(new ModKey(modseq, uid));
    }

    /** Restores expunge records from a snapshot. */
    void restoreExpunged(Map<Long, Long> records) {
        records.forEach(this::recordExpunge);
    }

    /** Messages whose modseq is above {@code modseq}, in uid order. */
    public List<MessageMeta> changedSince(long modseq) {
        TreeMap<Long, MessageMeta> out = new TreeMap<>();
        for (ModKey k : messagesByModseq.tailSet(new ModKey(modseq, Long.MAX_VALUE), false)) {
            out.put(k.uid(), messages.get(k.uid()));
        }
        return new ArrayList<>(out.values());
    }

    /** Uids expunged with a modseq above {@code modseq}, ascending. */
    public List<Long> expungedSince(long modseq) {
        TreeSet<Long> out = new TreeSet<>();
        for (ModKey k : expungedByModseq.tailSet(new ModKey(modseq, Long.MAX_VALUE), false)) {
            out.add(k.uid());
        }
        return new ArrayList<>(out);
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
