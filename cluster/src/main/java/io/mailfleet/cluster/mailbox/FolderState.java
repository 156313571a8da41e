package io.mailfleet.cluster.mailbox;

import java.util.Collection;
import java.util.TreeMap;

/**
 * One folder inside a {@link MailboxEntity}'s state. Mutable on purpose: it never leaves the entity
 * (replies copy what they need), and a large folder must not be copied on every append.
 */
public final class FolderState {
    private final String name;
    private final long uidValidity;
    private final String specialUse;
    private long uidNext = 1;
    private boolean subscribed;
    private final TreeMap<Long, MessageMeta> messages = new TreeMap<>();

    public FolderState(String name, long uidValidity, String specialUse, boolean subscribed) {
        this.name = name;
        this.uidValidity = uidValidity;
        this.specialUse = specialUse;
        this.subscribed = subscribed;
    }

    public String name() {
        return name;
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

    void append(MessageMeta m) {
        messages.put(m.uid(), m);
        uidNext = Math.max(uidNext, m.uid() + 1);
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

    public long size() {
        long s = 0;
        for (MessageMeta m : messages.values()) {
            s += m.size();
        }
        return s;
    }
}
