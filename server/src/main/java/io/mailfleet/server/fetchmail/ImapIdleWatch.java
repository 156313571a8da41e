package io.mailfleet.server.fetchmail;

import io.mailfleet.cluster.fetchmail.RemoteMailPoller;
import io.mailfleet.core.fetchmail.FetchmailSource;
import io.mailfleet.server.importer.MailClientProperties;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One IMAP connection kept in IDLE (RFC 2177) on a fetchmail source's folder, opened read-only: every
 * {@code * n EXISTS} the server sends is reported as new mail; the poll fetches it on its own connection.
 * The IDLE command is ended and issued again every {@code renewEvery} (under the RFC's 29 minutes, so
 * the server does not drop the connection as inactive), which also finds a connection that died
 * silently. It runs on a thread of {@link IdleConnections}, never an actor's or an event loop's; the
 * IDLE is ended from a second thread of the same pool (Jakarta Mail sends {@code DONE} when another
 * command wants the connection).
 */
final class ImapIdleWatch implements RemoteMailPoller.Watch {

    private static final Logger LOG = LoggerFactory.getLogger(ImapIdleWatch.class);
    /** How often a closing watch's IDLE is ended again until its thread has let go of the connection. */
    private static final long CLOSE_RETRY_SECONDS = 1;

    private final FetchmailSource source;
    private final RemoteMailPoller.WatchListener listener;
    private final Duration renewEvery;
    private final Executor threads;
    private final ScheduledExecutorService timer;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile IMAPFolder folder;
    private volatile boolean closed;

    private ImapIdleWatch(FetchmailSource source, RemoteMailPoller.WatchListener listener, Duration renewEvery,
                          Executor threads, ScheduledExecutorService timer) {
        this.source = source;
        this.listener = listener;
        this.renewEvery = renewEvery;
        this.threads = threads;
        this.timer = timer;
    }

    /** Starts watching on a thread of {@code threads}; returns at once. */
    static ImapIdleWatch start(FetchmailSource source, RemoteMailPoller.WatchListener listener, Duration renewEvery,
                               Executor threads, ScheduledExecutorService timer) {
        ImapIdleWatch w = new ImapIdleWatch(source, listener, renewEvery, threads, timer);
        threads.execute(w::run);
        return w;
    }

    /** Completes when the watch's thread has closed its connection. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // the watch thread may be about to enter IDLE: end it until the thread is gone
        try {
            ScheduledFuture<?> ending = timer.scheduleWithFixedDelay(() -> threads.execute(this::endIdle), 0,
                    CLOSE_RETRY_SECONDS, TimeUnit.SECONDS);
            finished.whenComplete((v, e) -> ending.cancel(false));
        } catch (RejectedExecutionException e) {
            // the node is shutting down: its daemon threads and connections end with the process
        }
    }

    private void run() {
        Store store = null;
        String error = null;
        boolean unsupported = false;
        try {
            store = MailStorePoller.connect(source, MailStorePoller.properties(source));
            if (!(store instanceof IMAPStore imap) || !imap.hasCapability("IDLE")) {
                unsupported = true;
                return;
            }
            IMAPFolder f = (IMAPFolder) store.getFolder(source.folderOrInbox());
            f.open(Folder.READ_ONLY);
            f.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    if (!closed) {
                        listener.newMail();
                    }
                }
            });
            folder = f;
            LOG.info("fetchmail {}: waiting for new mail in IMAP IDLE on {}", source.name(), source.folderOrInbox());
            if (!closed) {
                listener.newMail(); // what arrived between the last poll and now
            }
            while (!closed) {
                ScheduledFuture<?> renew = timer.schedule(() -> threads.execute(this::endIdle),
                        renewEvery.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    listener.idling();
                    f.idle(true); // returns after one notification, or when endIdle sent DONE
                } finally {
                    renew.cancel(false);
                }
                if (!f.isOpen()) {
                    throw new IOException("the server closed " + source.folderOrInbox());
                }
            }
        } catch (IOException e) {
            error = e.getMessage(); // already says what failed, with the server's answer
        } catch (MessagingException | RuntimeException e) {
            error = MailClientProperties.rootMessage(e);
        } finally {
            folder = null;
            closeQuietly(store);
            finished.complete(null);
            if (!closed) {
                listener.ended(unsupported, error == null && !unsupported ? "the IDLE connection ended" : error);
            }
        }
    }

    /** Ends the IDLE command (if one runs): any command on the folder makes Jakarta Mail send DONE first. */
    private void endIdle() {
        IMAPFolder f = folder;
        if (f == null || !f.isOpen()) {
            return; // a closed folder would borrow the store's connection for nothing
        }
        try {
            f.doCommand(p -> null);
        } catch (MessagingException | RuntimeException e) {
            // the watch thread sees the broken connection itself and reports it
            LOG.debug("fetchmail {}: ending IDLE: {}", source.name(), e.toString());
        }
    }

    private void closeQuietly(Store store) {
        if (store == null) {
            return;
        }
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("fetchmail {}: closing the IDLE connection: {}", source.name(), e.toString());
        }
    }
}
