package io.mailfleet.server.importer;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads every folder of a live IMAP account, as {@code imapsync} or {@code doveadm backup} would: the
 * folders are opened read-only (EXAMINE) and the bodies fetched with {@code BODY.PEEK[]}, so the
 * remote account is never changed, not even its \Seen flags. Flags, keywords and internal dates come
 * along. Blocking: runs on the import's own thread.
 *
 * <p>Resumable by UID: for each remote folder the highest UID up to which every message is settled (see
 * {@link ImportSink.Outcome#settled()}) is recorded in {@link Progress} as the import goes, and after a
 * failure; the next run under the same UIDVALIDITY reads only {@code UID n+1:*}. When the UIDVALIDITY
 * changed the folder is read whole again and the sink's content check keeps out what is there already.
 */
final class ImapReader {

    private static final Logger LOG = LoggerFactory.getLogger(ImapReader.class);
    /** Messages whose flags, dates and sizes are fetched in one round trip. */
    private static final int BATCH = 500;
    /** Settled messages between two records of a folder's mark (a crash re-reads at most these). */
    private static final int MARK_EVERY = 100;

    /** Where the reader keeps how far it got per remote folder; blocking, and never failing the import. */
    interface Progress {
        /** Nothing is remembered: every folder is read whole. */
        Progress NONE = new Progress() {
            @Override
            public Mark mark(String folderKey) {
                return null;
            }

            @Override
            public void advance(String folderKey, long uidValidity, long uid) {
            }
        };

        /** The mark of the remote folder {@code folderKey}, null when there is none. */
        Mark mark(String folderKey);

        /** Every message of the folder up to {@code uid} under {@code uidValidity} is settled. */
        void advance(String folderKey, long uidValidity, long uid);
    }

    /** A remote folder settled up to {@code uid} under {@code uidValidity}. */
    record Mark(long uidValidity, long uid) {
    }

    private final ImapSource source;
    private final char localDelimiter;
    private final Path spoolDir;
    private final Progress progress;

    ImapReader(ImapSource source, char localDelimiter, Path spoolDir, Progress progress) {
        this.source = source;
        this.localDelimiter = localDelimiter;
        this.spoolDir = spoolDir;
        this.progress = progress;
    }

    /** The key of a remote folder's mark: the same server, login and folder whatever port or TLS mode. */
    String folderKey(String remoteFolder) {
        return source.user() + "@" + source.host().toLowerCase(java.util.Locale.ROOT) + "/" + remoteFolder;
    }

    /** Connects, logs in (failures are the caller's 400), and hands every message to {@code sink}. */
    void read(ImportSink sink) throws IOException {
        Session session = Session.getInstance(properties());
        String protocol = source.security() == ImapSource.Security.SSL ? "imaps" : "imap";
        try (Store store = session.getStore(protocol)) {
            try {
                store.connect(source.host(), source.port(), source.user(), source.password());
            } catch (jakarta.mail.AuthenticationFailedException e) {
                throw new IllegalArgumentException("the IMAP server " + source.host() + " refused the login of "
                        + source.user() + ": " + e.getMessage());
            } catch (MessagingException e) {
                throw new IOException("cannot connect to " + source + ": " + rootMessage(e), e);
            }
            List<Folder> folders = new ArrayList<>();
            for (Folder f : store.getDefaultFolder().list("*")) {
                folders.add(f);
            }
            if (folders.stream().noneMatch(f -> f.getFullName().equalsIgnoreCase("INBOX"))) {
                folders.add(0, store.getFolder("INBOX"));
            }
            for (Folder f : folders) {
                readFolder(f, sink);
            }
        } catch (MessagingException e) {
            throw new IOException("IMAP import from " + source + " stopped: " + rootMessage(e), e);
        }
    }

    private void readFolder(Folder folder, ImportSink sink) throws MessagingException {
        String remote = folder.getFullName();
        if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0) {
            return; // \Noselect: a container; its children are listed on their own
        }
        String local = localName(remote, folder.getSeparator());
        if (local == null) {
            sink.skipped(source.host() + ":" + remote, "the folder name contains the local hierarchy delimiter '"
                    + localDelimiter + "' as an ordinary character");
            return;
        }
        try {
            folder.open(Folder.READ_ONLY);
        } catch (MessagingException e) {
            sink.skipped(source.host() + ":" + remote, "cannot be opened: " + rootMessage(e));
            return;
        }
        String key = folderKey(remote);
        long uidValidity = 0;
        long settled = 0;
        int unrecorded = 0;
        try {
            UIDFolder uids = (UIDFolder) folder;
            uidValidity = uids.getUIDValidity();
            int count = folder.getMessageCount();
            Mark mark = progress.mark(key);
            if (mark != null && mark.uidValidity() != uidValidity) {
                sink.note(source.host() + ":" + remote, "the UIDVALIDITY is " + uidValidity + ", the last import saw "
                        + mark.uidValidity() + ": the folder is read whole again; messages already imported are"
                        + " recognised by their content");
            }
            settled = mark != null && mark.uidValidity() == uidValidity ? mark.uid() : 0;
            Message[] messages;
            if (settled > 0) {
                // UID n+1:* always includes the highest UID, even when it is n: only UIDs above n are new
                List<Message> newer = new ArrayList<>();
                for (Message m : uids.getMessagesByUID(settled + 1, UIDFolder.LASTUID)) {
                    if (m != null && uids.getUID(m) > settled) {
                        newer.add(m);
                    }
                }
                newer.sort(java.util.Comparator.comparingInt(Message::getMessageNumber)); // UID order
                messages = newer.toArray(new Message[0]);
                sink.settledBefore(local, Math.max(0, count - messages.length));
                LOG.info("IMAP import from {}: folder {} into {}: {} new message(s) after UID {}, {} imported before",
                        source, remote, local, messages.length, settled, Math.max(0, count - messages.length));
            } else {
                messages = count == 0 ? new Message[0] : folder.getMessages();
                LOG.info("IMAP import from {}: folder {} ({} message(s)) into {}", source, remote, count, local);
            }
            boolean gap = false;
            for (int start = 0; start < messages.length; start += BATCH) {
                Message[] batch = java.util.Arrays.copyOfRange(messages, start, Math.min(messages.length, start + BATCH));
                FetchProfile profile = new FetchProfile();
                profile.add(FetchProfile.Item.FLAGS);
                profile.add(FetchProfile.Item.ENVELOPE); // carries INTERNALDATE and RFC822.SIZE
                profile.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(batch, profile);
                for (Message m : batch) {
                    long uid = knownUid(uids, m);
                    boolean done = readMessage(folder, local, m, sink);
                    // the mark moves only over an unbroken run of settled messages: what failed is read again
                    gap |= !done || uid <= 0;
                    if (!gap) {
                        settled = Math.max(settled, uid);
                        if (++unrecorded >= MARK_EVERY) {
                            progress.advance(key, uidValidity, settled);
                            unrecorded = 0;
                        }
                    }
                }
            }
        } finally {
            if (unrecorded > 0) {
                // also when the connection broke: what was settled before stays settled
                progress.advance(key, uidValidity, settled);
            }
            folder.close(false);
        }
    }

    /** The message's UID as fetched, or 0 when the server did not give one. */
    private static long knownUid(UIDFolder folder, Message m) {
        try {
            return folder.getUID(m);
        } catch (MessagingException | RuntimeException e) {
            return 0;
        }
    }

    /** Hands one message to the sink; whether it is settled (a message expunged meanwhile is: it is gone). */
    private boolean readMessage(Folder folder, String local, Message m, ImportSink sink) {
        String origin = source.host() + ":" + folder.getFullName() + "#" + uid(folder, m);
        try {
            if (m.isExpunged()) {
                return true;
            }
            Instant date = m.getReceivedDate() == null ? null : m.getReceivedDate().toInstant();
            Set<String> flags = flags(m.getFlags());
            try (SpooledBytes bytes = SpooledBytes.spool(out -> {
                try {
                    m.writeTo(out);
                } catch (MessagingException e) {
                    throw new IOException(rootMessage(e), e);
                }
            }, spoolDir)) {
                return sink.message(new SourceMessage(local, origin, date, flags, bytes)).settled();
            }
        } catch (MessagingException | IOException e) {
            sink.skipped(origin, "cannot be fetched: " + rootMessage(e));
            return false;
        }
    }

    private static String uid(Folder folder, Message m) {
        try {
            return folder instanceof UIDFolder u ? Long.toString(u.getUID(m)) : Integer.toString(m.getMessageNumber());
        } catch (MessagingException e) {
            return Integer.toString(m.getMessageNumber());
        }
    }

    /** The remote folder's name in the local hierarchy; null when it cannot be represented. */
    String localName(String remote, char remoteDelimiter) {
        if (remote.equalsIgnoreCase("INBOX")) {
            return "INBOX";
        }
        String[] parts = remoteDelimiter == 0 ? new String[]{remote}
                : remote.split(Pattern.quote(String.valueOf(remoteDelimiter)), -1);
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (p.indexOf(localDelimiter) >= 0 || p.isEmpty()) {
                return null;
            }
            out.add(p);
        }
        if (out.get(0).equalsIgnoreCase("INBOX")) {
            out.set(0, "INBOX");
        }
        return String.join(String.valueOf(localDelimiter), out);
    }

    static Set<String> flags(Flags f) {
        Set<String> out = new LinkedHashSet<>();
        if (f.contains(Flags.Flag.SEEN)) {
            out.add("\\Seen");
        }
        if (f.contains(Flags.Flag.ANSWERED)) {
            out.add("\\Answered");
        }
        if (f.contains(Flags.Flag.FLAGGED)) {
            out.add("\\Flagged");
        }
        if (f.contains(Flags.Flag.DRAFT)) {
            out.add("\\Draft");
        }
        if (f.contains(Flags.Flag.DELETED)) {
            out.add("\\Deleted");
        }
        for (String k : f.getUserFlags()) {
            if (!k.isEmpty() && k.chars().allMatch(c -> c > 0x20 && c < 0x7f && "(){%*\"\\]".indexOf(c) < 0)) {
                out.add(k);
            }
        }
        return out;
    }

    private Properties properties() {
        return MailClientProperties.of("imap", source.security(), false, source.trustAnyCertificate());
    }

    private static String rootMessage(Throwable e) {
        return MailClientProperties.rootMessage(e);
    }
}
