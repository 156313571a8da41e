package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.FlagUpdate;
import io.mailfleet.core.mailbox.FolderChanges;
import io.mailfleet.core.mailbox.MailboxEvent;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.protocols.imap.KeywordAnnouncer;
import io.mailfleet.protocols.imap.SelectedFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The session's view of its selected folder and the untagged updates that keep the client's view in
 * step: changes from other sessions arrive as notifications, are reconciled with the mailbox, and
 * are told at the moments RFC 3501 allows (§5.2, §7.4.1). Event loop only.
 */
public final class FolderUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(FolderUpdates.class);

    private final ImapContext ctx;
    private final SessionState session;
    private AutoCloseable watch;
    /** A change notification arrived for the selected folder since the last reconciliation. */
    private boolean dirty;
    private boolean syncing;
    private final List<Runnable> afterSync = new ArrayList<>();
    private final List<Long> deferredExpunges = new ArrayList<>();

    public FolderUpdates(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    /** Starts change notifications for the logged-in account. */
    void watch(String account) {
        watch = ctx.services().mailboxes().watch(account, e -> ctx.netty().executor().execute(() -> onEvent(e)));
    }

    /** Stops change notifications (the connection closed). */
    public void close() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing mailbox watch: {}", e.toString());
            }
            watch = null;
        }
    }

    /** True when the selected folder changed, or is being reconciled, since the client was last told. */
    public boolean pending() {
        return session.selected != null && (dirty || syncing);
    }

    /** Makes {@code s} the selected folder; its keywords count as announced once written. */
    void select(SelectedFolder s) {
        session.selected = s;
        session.savedUids = List.of();
        dirty = false;
        session.state = ImapState.SELECTED;
        session.keywords = new KeywordAnnouncer(s.keywords(), s.readOnly);
    }

    /** Leaves the selected state; expunges not told yet are dropped with the view. */
    void unselect() {
        session.selected = null;
        session.keywords = null;
        session.savedUids = List.of();
        session.state = ImapState.AUTHENTICATED;
        dirty = false;
        deferredExpunges.clear();
    }

    /** Announces the keywords among {@code flags} the client was not told of yet (before a FETCH shows them). */
    void announceKeywords(Collection<String> flags) {
        if (session.keywords != null && session.keywords.learn(flags)) {
            session.keywords.responses().forEach(ctx::untagged);
        }
    }

    /** Takes the flags this session's own STORE (or FETCH setting \Seen) produced into the view. */
    void applyOwnUpdates(List<FlagUpdate> updates) {
        SelectedFolder s = session.selected;
        for (FlagUpdate u : updates) {
            int i = s.indexOf(u.uid());
            if (i >= 0 && u.modseq() > s.messages.get(i).modseq()) {
                s.messages.set(i, s.messages.get(i).withFlags(u.flags(), u.modseq()));
            }
            s.highestModseq = Math.max(s.highestModseq, u.modseq());
        }
    }

    /**
     * A change notification (on this channel's event loop). It only marks the folder dirty: the exact
     * changes come from {@code changesSince}, so a lost, duplicated or reordered notification never
     * leaves the session wrong. In IDLE the session reconciles at once; otherwise at the end of the
     * next command (RFC 3501 §5.2, §7.4.1).
     */
    private void onEvent(MailboxEvent e) {
        SelectedFolder s = session.selected;
        if (s == null || !ctx.netty().channel().isActive()) {
            return;
        }
        if (e instanceof MailboxEvent.FolderRemoved && e.folder().equals(s.name)) {
            ctx.byeAndClose("Selected mailbox was deleted, have to disconnect.");
            return;
        }
        if (e.folder() == null || e.folder().equals(s.name)) {
            dirty = true;
            if (ctx.idling()) {
                sync(ctx.netty()::flush);
            }
        }
    }

    /** Reconciles the selected folder with the mailbox, one request at a time, then runs {@code then}. */
    public void sync(Runnable then) {
        if (then != null) {
            afterSync.add(then);
        }
        if (syncing) {
            return;
        }
        SelectedFolder s = session.selected;
        if (s == null) {
            runAfterSync();
            return;
        }
        syncing = true;
        dirty = false;
        ctx.services().mailboxes().changesSince(session.account, s.name, s.syncedModseq, !s.readOnly)
                .whenCompleteAsync((changes, err) -> {
                    syncing = false;
                    if (!ctx.netty().channel().isActive()) {
                        return;
                    }
                    if (err != null) {
                        LOG.debug("IMAP reconciliation of {} failed: {}", session.account, err.toString());
                    } else if (session.selected == s) {
                        apply(s, changes);
                    }
                    // A change told while this request was out is not in its answer: in IDLE, ask again
                    // before running what waits (the flush), or the client would not hear of it until
                    // the next change came (an event during a sync only queues the flush).
                    if (dirty && session.selected != null && ctx.idling()) {
                        sync(null);
                        return;
                    }
                    runAfterSync();
                }, ctx.netty().executor());
    }

    private void runAfterSync() {
        List<Runnable> run = new ArrayList<>(afterSync);
        afterSync.clear();
        run.forEach(Runnable::run);
    }

    /** Writes what changed: FETCH for new flags, EXISTS and RECENT for new messages; expunges wait. */
    private void apply(SelectedFolder s, FolderChanges c) {
        if (c.uidValidity() != s.uidValidity) {
            ctx.byeAndClose("Selected mailbox was recreated, have to disconnect.");
            return;
        }
        boolean added = false;
        int recent = 0;
        List<String> fetches = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        for (MessageView m : c.changed()) {
            if (m.uid() >= s.uidNext) {
                s.messages.add(m);
                s.uidNext = m.uid() + 1;
                added = true;
                if (c.recent().contains(m.uid())) {
                    s.recent.add(m.uid());
                    recent++;
                }
                continue;
            }
            int i = s.indexOf(m.uid());
            if (i >= 0 && m.modseq() > s.messages.get(i).modseq()) {
                boolean flagsChanged = !m.flags().equals(s.messages.get(i).flags());
                s.messages.set(i, s.messages.get(i).withFlags(m.flags(), m.modseq()));
                if (flagsChanged || session.condstore) {
                    MessageView v = s.messages.get(i);
                    shown.addAll(v.flags());
                    fetches.add((i + 1) + " FETCH (UID " + v.uid() + " FLAGS (" + String.join(" ", s.flagsOf(v))
                            + ")" + (session.condstore ? " MODSEQ (" + v.modseq() + ")" : "") + ")");
                }
            }
        }
        announceKeywords(shown);
        fetches.forEach(ctx::untagged);
        for (long uid : c.expunged()) {
            if (s.indexOf(uid) >= 0 && !deferredExpunges.contains(uid)) {
                deferredExpunges.add(uid);
            }
        }
        s.uidNext = Math.max(s.uidNext, c.uidNext());
        s.syncedModseq = Math.max(s.syncedModseq, c.highestModseq());
        s.highestModseq = Math.max(s.highestModseq, c.highestModseq());
        if (ctx.idling()) {
            flushDeferredExpunges();
        }
        if (added) {
            ctx.untagged(s.count() + " EXISTS");
            if (recent > 0) {
                ctx.untagged(s.recent.size() + " RECENT");
            }
        }
    }

    /** Tells the expunges other sessions made, now that a command allows it. */
    public void flushDeferredExpunges() {
        if (session.selected != null && !deferredExpunges.isEmpty()) {
            List<Long> gone = new ArrayList<>(deferredExpunges);
            deferredExpunges.clear();
            removeExpunged(gone);
        }
    }

    /** Drops expunged messages from the view and tells the client: EXPUNGE, or VANISHED after ENABLE QRESYNC. */
    void removeExpunged(Collection<Long> uids) {
        SelectedFolder s = session.selected;
        List<Long> gone = new ArrayList<>();
        for (long u : new TreeSet<>(uids).descendingSet()) {
            int i = s.indexOf(u);
            if (i >= 0) {
                s.messages.remove(i);
                s.recent.remove(u);
                gone.add(0, u);
                if (!session.qresync) {
                    ctx.untagged((i + 1) + " EXPUNGE");
                }
            }
        }
        if (session.qresync && !gone.isEmpty()) {
            ctx.untagged("VANISHED " + SequenceSet.format(gone));
        }
    }
}
