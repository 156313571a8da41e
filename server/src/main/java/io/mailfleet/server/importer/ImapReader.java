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
 */
final class ImapReader {

    private static final Logger LOG = LoggerFactory.getLogger(ImapReader.class);
    /** Messages whose flags, dates and sizes are fetched in one round trip. */
    private static final int BATCH = 500;

    private final ImapSource source;
    private final char localDelimiter;
    private final Path spoolDir;

    ImapReader(ImapSource source, char localDelimiter, Path spoolDir) {
        this.source = source;
        this.localDelimiter = localDelimiter;
        this.spoolDir = spoolDir;
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
        try {
            int count = folder.getMessageCount();
            LOG.info("IMAP import from {}: folder {} ({} message(s)) into {}", source, remote, count, local);
            for (int start = 1; start <= count; start += BATCH) {
                int end = Math.min(count, start + BATCH - 1);
                Message[] batch = folder.getMessages(start, end);
                FetchProfile profile = new FetchProfile();
                profile.add(FetchProfile.Item.FLAGS);
                profile.add(FetchProfile.Item.ENVELOPE); // carries INTERNALDATE and RFC822.SIZE
                profile.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(batch, profile);
                for (Message m : batch) {
                    readMessage(folder, local, m, sink);
                }
            }
        } finally {
            folder.close(false);
        }
    }

    private void readMessage(Folder folder, String local, Message m, ImportSink sink) {
        String origin = source.host() + ":" + folder.getFullName() + "#" + uid(folder, m);
        try {
            if (m.isExpunged()) {
                return;
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
                sink.message(new SourceMessage(local, origin, date, flags, bytes));
            }
        } catch (MessagingException | IOException e) {
            sink.skipped(origin, "cannot be fetched: " + rootMessage(e));
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
