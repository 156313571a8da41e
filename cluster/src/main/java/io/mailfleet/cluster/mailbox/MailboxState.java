package io.mailfleet.cluster.mailbox;

import java.util.HashMap;
import java.util.LinkedHashMap;
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

    public boolean isInitialised() {
        return !folders.isEmpty();
    }

    void createFolder(String name, long uidValidity, String specialUse, boolean subscribe) {
        folders.put(name, new FolderState(name, uidValidity, specialUse, subscribe));
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

    MailboxSnapshot toSnapshot() {
        java.util.List<MailboxSnapshot.Folder> fs = new java.util.ArrayList<>();
        for (FolderState f : folders.values()) {
            fs.add(new MailboxSnapshot.Folder(f.name(), f.uidValidity(), f.uidNext(), f.specialUse(), f.subscribed(),
                    java.util.List.copyOf(f.messages())));
        }
        return new MailboxSnapshot(fs, Map.copyOf(deliveries), highestModseq, usedBytes);
    }

    static MailboxState fromSnapshot(MailboxSnapshot s) {
        MailboxState st = new MailboxState();
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
}
