package io.mailfleet.protocols.pop3.handler;

import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;

import java.util.ArrayList;
import java.util.List;

/**
 * The maildrop of one POP3 session: the INBOX as it was at login, numbered from 1, with deletion and
 * retrieval marks that only QUIT turns into changes. Event loop only.
 */
final class Maildrop {

    private long uidValidity;
    private List<MessageView> messages = List.of();
    private boolean[] deleted = new boolean[0];
    private boolean[] retrieved = new boolean[0];

    /** Takes the INBOX as {@code snap} shows it, with no marks. */
    void open(FolderSnapshot snap) {
        uidValidity = snap.uidValidity();
        messages = snap.messages();
        deleted = new boolean[messages.size()];
        retrieved = new boolean[messages.size()];
    }

    int size() {
        return messages.size();
    }

    MessageView get(int i) {
        return messages.get(i);
    }

    boolean deleted(int i) {
        return deleted[i];
    }

    /** How many messages are not marked for deletion. */
    int count() {
        int count = 0;
        for (boolean d : deleted) {
            count += d ? 0 : 1;
        }
        return count;
    }

    /** The size of the messages not marked for deletion. */
    long octets() {
        long size = 0;
        for (int i = 0; i < messages.size(); i++) {
            size += deleted[i] ? 0 : messages.get(i).size();
        }
        return size;
    }

    /** The index of the message numbered {@code arg} (1-based), refusing deleted ones. */
    int index(String arg) {
        String a = arg.trim();
        if (a.isEmpty() || a.length() > 9 || !a.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Invalid message number: " + (a.length() > 20 ? a.substring(0, 20) : a));
        }
        int n = Integer.parseInt(a);
        if (n < 1 || n > messages.size()) {
            throw new IllegalArgumentException("There's no message " + n + ".");
        }
        if (deleted[n - 1]) {
            throw new IllegalArgumentException("Message is deleted.");
        }
        return n - 1;
    }

    String uidl(int i) {
        // Dovecot's default pop3_uidl_format %08Xu%08Xv: the IMAP UID and UIDVALIDITY, so POP3 and
        // IMAP clients agree and the value never changes while the message exists.
        return String.format("%08X%08X", messages.get(i).uid(), uidValidity);
    }

    void delete(int i) {
        deleted[i] = true;
    }

    void retrieved(int i) {
        retrieved[i] = true;
    }

    /** RSET: forgets the deletion marks. */
    void undelete() {
        deleted = new boolean[messages.size()];
    }

    /** The UIDs marked for deletion. */
    List<Long> deletedUids() {
        List<Long> gone = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            if (deleted[i]) {
                gone.add(messages.get(i).uid());
            }
        }
        return gone;
    }

    /** The UIDs retrieved, kept and not yet \Seen. */
    List<Long> newlySeenUids() {
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            MessageView m = messages.get(i);
            if (!deleted[i] && retrieved[i] && !m.flags().contains("\\Seen")) {
                seen.add(m.uid());
            }
        }
        return seen;
    }
}
