package io.mailfleet.cluster.mailbox;

import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mime.MessageSummary;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one account's mailbox. Mutable and confined to its {@link MailboxEntity} (event
 * handlers mutate it in place; snapshots serialize it).
 */
public final class MailboxState {
    private final LinkedHashMap<String, FolderState> folders = new LinkedHashMap<>();
    /** Delivery id to uid in INBOX-or-target folder, so a retried delivery is answered, not repeated. */
    private final Map<String, Long> deliveries = new HashMap<>();
    private long highestModseq;
    private long usedBytes;
    private long nextUidValidity;
    /** Subscribed names whose folder does not exist: DELETE does not change subscriptions (RFC 3501 §6.3.6). */
    private final java.util.TreeSet<String> subscriptionsWithoutFolder = new java.util.TreeSet<>();

    public Map<String, FolderState> folders() {
        return folders;
    }

    public FolderState folder(String name) {
        return folders.get(name);
    }

    public Long deliveredUid(String deliveryId) {
        return deliveries.get(deliveryId);
    }

    public long highestModseq() {
        return highestModseq;
    }

    public long usedBytes() {
        return usedBytes;
    }

    public long messageCount() {
        long n = 0;
        for (FolderState f : folders.values()) {
            n += f.count();
        }
        return n;
    }

    public boolean isInitialised() {
        return !folders.isEmpty();
    }

    /** Subscribed names without a folder, in name order. */
    public java.util.SortedSet<String> subscriptionsWithoutFolder() {
        return java.util.Collections.unmodifiableSortedSet(subscriptionsWithoutFolder);
    }

    void createFolder(String name, long uidValidity, String specialUse, boolean subscribe) {
        // a name still subscribed from before a DELETE is subscribed again when the folder returns
        boolean subscribed = subscriptionsWithoutFolder.remove(name) || subscribe;
        folders.put(name, new FolderState(name, uidValidity, specialUse, subscribed));
        nextUidValidity = Math.max(nextUidValidity, uidValidity + 1);
    }

    /**
     * Replaces the folder {@code name} (which has no messages) by a new incarnation under
     * {@code uidValidity}: UIDNEXT 1, no expunge records; the modseq and subscription carry over.
     */
    void adoptUidValidity(String name, long uidValidity) {
        FolderState old = folders.get(name);
        if (old == null) {
            return;
        }
        FolderState f = new FolderState(name, uidValidity, old.specialUse(), old.subscribed());
        f.raiseModseq(old.highestModseq());
        folders.put(name, f);
        nextUidValidity = Math.max(nextUidValidity, uidValidity + 1);
    }

    /** A UIDVALIDITY never handed out before in this mailbox (RFC 3501 §2.3.1.1). */
    long newUidValidity(long nowSeconds) {
        return Math.max(nowSeconds, nextUidValidity);
    }

    void append(String folder, MessageMeta meta) {
        folders.get(folder).append(meta);
        highestModseq = Math.max(highestModseq, meta.modseq());
        usedBytes += meta.size();
        if (meta.deliveryId() != null) {
            deliveries.put(meta.deliveryId(), meta.uid());
        }
    }

    /** Raises {@code folder}'s HIGHESTMODSEQ and the mailbox's modseq counter to at least {@code modseq}. */
    void raiseModseq(String folder, long modseq) {
        FolderState f = folders.get(folder);
        if (f != null) {
            f.raiseModseq(modseq);
        }
        highestModseq = Math.max(highestModseq, modseq);
    }

    void deleteFolder(String name) {
        FolderState f = folders.remove(name);
        if (f != null) {
            usedBytes -= f.size();
            if (f.subscribed()) {
                subscriptionsWithoutFolder.add(name);
            }
        }
    }

    /** Renames {@code from} and its children; INBOX keeps existing, emptied, with a fresh uidvalidity. */
    void rename(String from, String to, char delimiter, long inboxUidValidity) {
        List<FolderState> moving = new ArrayList<>();
        for (FolderState f : folders.values()) {
            if (f.name().equals(from) || f.name().startsWith(from + delimiter)) {
                moving.add(f);
            }
        }
        for (FolderState f : moving) {
            folders.remove(f.name());
            String newName = to + f.name().substring(from.length());
            f.rename(newName);
            folders.put(newName, f);
        }
        if ("INBOX".equals(from)) {
            createFolder("INBOX", inboxUidValidity, null, true);
        }
    }

    /** (Un)subscribes {@code name}, a folder or a name whose folder was deleted. */
    void subscribe(String name, boolean subscribed) {
        FolderState f = folders.get(name);
        if (f != null) {
            f.setSubscribed(subscribed);
        } else if (subscribed) {
            subscriptionsWithoutFolder.add(name);
        } else {
            subscriptionsWithoutFolder.remove(name);
        }
    }

    void updateFlags(String folder, List<FlagUpdate> updates) {
        FolderState f = folders.get(folder);
        for (FlagUpdate u : updates) {
            MessageMeta m = f.message(u.uid());
            if (m != null) {
                f.replace(new MessageMeta(m.uid(), m.blob(), m.internalDate(), u.flags(), u.modseq(), m.deliveryId()));
            }
            highestModseq = Math.max(highestModseq, u.modseq());
        }
    }

    void expunge(String folder, List<Long> uids, long modseq) {
        FolderState f = folders.get(folder);
        for (long uid : uids) {
            MessageMeta m = f.remove(uid, modseq);
            if (m != null) {
                usedBytes -= m.size();
            }
        }
        highestModseq = Math.max(highestModseq, modseq);
    }

    void attachSummaries(String folder, Map<Long, MessageSummary> summaries) {
        FolderState f = folders.get(folder);
        if (f != null) {
            summaries.forEach(f::attachSummary);
        }
    }

    MailboxSnapshotV3 toSnapshot() {
        List<MailboxSnapshotV2.Folder> fs = new ArrayList<>();
        for (FolderState f : folders.values()) {
            fs.add(new MailboxSnapshotV2.Folder(f.name(), f.uidValidity(), f.uidNext(), f.specialUse(),
                    f.subscribed(), f.highestModseq(), f.recentBoundary(), List.copyOf(f.messages()),
                    new HashMap<>(f.summaries()), new HashMap<>(f.expunged())));
        }
        return new MailboxSnapshotV3(fs, new HashMap<>(deliveries), highestModseq, usedBytes, nextUidValidity,
                List.copyOf(subscriptionsWithoutFolder));
    }

    static MailboxState fromSnapshot(Object snapshot) {
        MailboxState st = new MailboxState();
        if (snapshot instanceof MailboxSnapshot s) {
            for (MailboxSnapshot.Folder f : s.folders()) {
                st.createFolder(f.name(), f.uidValidity(), f.specialUse(), f.subscribed());
                FolderState fs = st.folders.get(f.name());
                f.messages().forEach(fs::append);
                fs.raiseUidNext(f.uidNext());
            }
            st.deliveries.putAll(s.deliveries());
            st.highestModseq = s.highestModseq();
            st.usedBytes = s.usedBytes();
            return st;
        }
        if (snapshot instanceof MailboxSnapshotV3 v3) {
            restore(st, v3.folders());
            st.deliveries.putAll(v3.deliveries());
            st.highestModseq = v3.highestModseq();
            st.usedBytes = v3.usedBytes();
            st.nextUidValidity = Math.max(st.nextUidValidity, v3.nextUidValidity());
            st.subscriptionsWithoutFolder.addAll(v3.subscriptionsWithoutFolder());
            return st;
        }
        MailboxSnapshotV2 s = (MailboxSnapshotV2) snapshot;
        restore(st, s.folders());
        st.deliveries.putAll(s.deliveries());
        st.highestModseq = s.highestModseq();
        st.usedBytes = s.usedBytes();
        st.nextUidValidity = Math.max(st.nextUidValidity, s.nextUidValidity());
        return st;
    }

    private static void restore(MailboxState st, List<MailboxSnapshotV2.Folder> folders) {
        for (MailboxSnapshotV2.Folder f : folders) {
            st.createFolder(f.name(), f.uidValidity(), f.specialUse(), f.subscribed());
            FolderState fs = st.folders.get(f.name());
            f.messages().forEach(fs::append);
            fs.raiseUidNext(f.uidNext());
            fs.raiseModseq(f.highestModseq());
            fs.raiseRecentBoundary(f.recentBoundary());
            f.summaries().forEach(fs::attachSummary);
            fs.restoreExpunged(f.expunged());
        }
    }
}
