package io.mailfleet.server.fetchmail;

import io.mailfleet.cluster.fetchmail.RemoteMailPoller;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.server.importer.ImapSource;
import io.mailfleet.server.importer.MailClientProperties;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import org.eclipse.angus.mail.pop3.POP3Folder;

import io.mailfleet.core.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Polls a {@code fetchmail.cf} source with Jakarta Mail (the same client set-up as {@code import imap}):
 * lists the remote ids (POP3 UIDL; IMAP {@code UIDVALIDITY:UID}), queues every message not fetched
 * before, records it, and only then marks it deleted unless the source keeps mail (POP3 deletes at
 * QUIT, IMAP expunges on close). Blocking: runs on the entity's blocking dispatcher.
 */
final class MailStorePoller implements RemoteMailPoller {

    private static final Logger LOG = LoggerFactory.getLogger(MailStorePoller.class);

    private final Map<String, FetchmailSource> sources = new LinkedHashMap<>();
    private final FetchedMessageQueue queue;
    private final Predicate<String> localRecipient;
    private final long sizeLimit;
    private final Path spoolDir;
    private final FetchmailMetrics metrics;
    private final IdleConnections idle;

    /**
     * @param sizeLimit the node's message size limit (0: none): a bigger remote message is left there
     * @param spoolDir  where POP3 message bodies are cached while they are copied (0700)
     * @param idle      the threads of the IMAP IDLE watches
     */
    MailStorePoller(List<FetchmailSource> sources, FetchedMessageQueue queue, Predicate<String> localRecipient,
                    long sizeLimit, Path spoolDir, FetchmailMetrics metrics, IdleConnections idle) {
        this.idle = idle;
        sources.forEach(s -> this.sources.put(s.name(), s));
        this.queue = queue;
        this.localRecipient = localRecipient;
        this.sizeLimit = sizeLimit;
        this.spoolDir = spoolDir;
        this.metrics = metrics;
    }

    @Override
    public Result poll(String name, Set<String> fetched, FetchedSink sink) throws Exception {
        int[] count = new int[1];
        try {
            Result r = pollOnce(name, fetched, id -> {
                sink.fetched(id);
                count[0]++;
            });
            metrics.succeeded(name, r.fetched(), System.currentTimeMillis());
            return r;
        } catch (Exception e) {
            metrics.failed(name, count[0]);
            throw e;
        }
    }

    /** An IMAP source that does not say {@code no idle} is watched in IDLE where its server offers it. */
    @Override
    public Watch watch(String name, WatchListener listener) {
        FetchmailSource source = sources.get(name);
        if (source == null || source.protocol() != FetchmailSource.Protocol.IMAP || !source.idle()) {
            return null;
        }
        return idle.watch(source, listener);
    }

    private Result pollOnce(String name, Set<String> fetched, FetchedSink sink) throws Exception {
        FetchmailSource source = sources.get(name);
        if (source == null) {
            throw new IllegalStateException("not in this node's fetchmail.cf");
        }
        if (!localRecipient.test(source.localRecipient())) {
            throw new IOException("the local address " + source.localRecipient()
                    + " is not an account or alias of this server; the mail stays on the remote");
        }
        Properties properties = properties(source);
        // a POP3 body is cached in a file rather than the heap while it is copied into the blob store
        PrivateFiles.createDirectories(spoolDir);
        for (String p : List.of("pop3", "pop3s")) {
            properties.put("mail." + p + ".filecache.enable", "true");
            properties.put("mail." + p + ".filecache.dir", spoolDir.toString());
        }
        try (Store store = connect(source, properties)) {
            Folder folder = store.getFolder(source.folderOrInbox());
            try {
                folder.open(source.keep() ? Folder.READ_ONLY : Folder.READ_WRITE);
            } catch (MessagingException e) {
                throw new IOException("cannot open " + source.folderOrInbox() + " on " + source.host() + ": "
                        + MailClientProperties.rootMessage(e), e);
            }
            Result result;
            try {
                result = fetch(source, folder, new HashSet<>(fetched), sink);
            } catch (Exception e) {
                // what was recorded before the failure may still be deleted; the failure is what to report
                try {
                    folder.close(!source.keep());
                } catch (MessagingException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            // POP3: QUIT commits the DELEs; IMAP: EXPUNGE removes the \Deleted messages marked
            folder.close(!source.keep());
            return result;
        } catch (MessagingException e) {
            throw new IOException("poll of " + source.host() + " stopped: " + MailClientProperties.rootMessage(e), e);
        }
    }

    /** The mail client settings of a source: its TLS mode and certificate check. */
    static Properties properties(FetchmailSource source) {
        ImapSource.Security security = source.ssl() ? ImapSource.Security.SSL : ImapSource.Security.NONE;
        return MailClientProperties.of(source.protocol().lowerName(), security, true, !source.checkCertificate());
    }

    /** A store connected and logged in to {@code source}; failures say which of the two went wrong. */
    static Store connect(FetchmailSource source, Properties properties) throws IOException {
        String protocol = source.protocol().lowerName();
        Store store;
        try {
            store = Session.getInstance(properties).getStore(source.ssl() ? protocol + "s" : protocol);
        } catch (MessagingException e) {
            throw new IOException("no mail client for " + protocol + ": " + MailClientProperties.rootMessage(e), e);
        }
        try {
            store.connect(source.host(), source.port(), source.user(), source.password());
            return store;
        } catch (AuthenticationFailedException e) {
            throw new IOException("login refused by " + source.host() + ": " + MailClientProperties.rootMessage(e), e);
        } catch (MessagingException e) {
            throw new IOException("cannot connect to " + source.host() + ":" + source.port() + ": "
                    + MailClientProperties.rootMessage(e), e);
        }
    }

    private Result fetch(FetchmailSource source, Folder folder, Set<String> fetched, FetchedSink sink) throws Exception {
        Message[] messages = folder.getMessages();
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.SIZE);
        if (source.protocol() == FetchmailSource.Protocol.IMAP) {
            profile.add(FetchProfile.Item.FLAGS);
        }
        folder.fetch(messages, profile);
        List<String> ids = new ArrayList<>(messages.length);
        for (Message m : messages) {
            ids.add(id(folder, m));
        }
        int count = 0;
        for (int i = 0; i < messages.length; i++) {
            Message m = messages[i];
            String id = ids.get(i);
            if (id == null || fetched.contains(id)) {
                continue;
            }
            if (source.protocol() == FetchmailSource.Protocol.IMAP && !source.fetchAll()
                    && m.isSet(Flags.Flag.SEEN)) {
                continue; // fetchmail without fetchall takes only unseen IMAP mail
            }
            int size = m.getSize();
            if (sizeLimit > 0 && size > sizeLimit) {
                LOG.warn("fetchmail {}: message {} has {} bytes, over the message size limit of {}; left on the remote",
                        source.name(), id, size, sizeLimit);
                continue;
            }
            String[] returnPath = m.getHeader("Return-Path");
            queue.enqueue(source, returnPath == null ? null : returnPath[0], out -> {
                try {
                    m.writeTo(out);
                } catch (MessagingException e) {
                    throw new IOException("cannot fetch message " + id + ": " + MailClientProperties.rootMessage(e), e);
                }
            });
            sink.fetched(id);
            fetched.add(id);
            count++;
            if (!source.keep()) {
                m.setFlag(Flags.Flag.DELETED, true);
            }
        }
        List<String> remote = ids.stream().filter(java.util.Objects::nonNull).toList();
        return new Result(count, remote);
    }

    /** POP3: the UIDL; IMAP: UIDVALIDITY and UID, so a recreated folder is not taken for the old one. */
    private static String id(Folder folder, Message m) throws MessagingException {
        if (folder instanceof POP3Folder pop) {
            return pop.getUID(m);
        }
        UIDFolder u = (UIDFolder) folder;
        return u.getUIDValidity() + ":" + u.getUID(m);
    }
}
