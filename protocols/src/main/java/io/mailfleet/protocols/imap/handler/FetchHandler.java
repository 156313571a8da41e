package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.FlagOperation;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.protocols.imap.FetchItem;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.MessageCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** FETCH and UID FETCH (with CHANGEDSINCE and VANISHED): marks bodies \Seen, then streams the responses. */
final class FetchHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FetchHandler.class);

    private final ImapContext ctx;
    private final SessionState session;

    FetchHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void fetch(String tag, MessageCommands.Fetch r) {
        boolean uid = r.uid();
        List<FetchItem> items = r.items();
        if (r.changedSince() >= 0 || items.stream().anyMatch(i -> i.name().equals("MODSEQ"))) {
            ConnectionHandler.enableCondstore(ctx);
        }
        List<Integer> indexes = MessageSets.resolve(session, r.set(), uid);
        SelectedFolder s = session.selected;
        if (r.vanished()) {
            ctx.async(tag, "FETCH", ctx.services().mailboxes().expungedSince(session.account, s.name, r.changedSince()),
                    gone -> {
                List<Long> reported = session.selected == s
                        ? MessageSets.filterUids(gone, r.set().equals("$") ? null : r.set()) : List.of();
                if (!reported.isEmpty()) {
                    ctx.untagged("VANISHED (EARLIER) " + SequenceSet.format(reported));
                }
                fetchResolved(tag, uid, items, r.changedSince(), indexes, s);
            });
            return;
        }
        fetchResolved(tag, uid, items, r.changedSince(), indexes, s);
    }

    private void fetchResolved(String tag, boolean uid, List<FetchItem> items, long changedSince,
                               List<Integer> indexes, SelectedFolder s) {
        if (session.selected != s) {
            ctx.finish(tag, "NO Mailbox was closed.", uid);
            return;
        }
        boolean wantModseq = session.condstore
                && (changedSince >= 0 || items.stream().anyMatch(i -> i.name().equals("MODSEQ")));
        List<FetchItem> all = new ArrayList<>(items);
        if (uid && all.stream().noneMatch(i -> i.name().equals("UID"))) {
            all.add(0, FetchItem.simple("UID"));
        }
        if (wantModseq && all.stream().noneMatch(i -> i.name().equals("MODSEQ"))) {
            all.add(FetchItem.simple("MODSEQ"));
        }
        long since = changedSince;
        List<Integer> targets = indexes.stream().filter(i -> since < 0 || s.messages.get(i).modseq() > since).toList();
        boolean setsSeen = !s.readOnly && all.stream().anyMatch(i -> i.isBody() && !i.peek()
                || i.name().equals("RFC822") || i.name().equals("RFC822.TEXT"));
        if (setsSeen) {
            List<Long> unseen = new ArrayList<>();
            for (int i : targets) {
                if (!s.messages.get(i).flags().contains("\\Seen")) {
                    unseen.add(s.messages.get(i).uid());
                }
            }
            if (!unseen.isEmpty()) {
                List<FetchItem> withFlags = new ArrayList<>(all);
                if (withFlags.stream().noneMatch(i -> i.name().equals("FLAGS"))) {
                    withFlags.add(FetchItem.simple("FLAGS"));
                }
                ctx.async(tag, "FETCH", ctx.services().mailboxes().store(session.account, s.name, unseen,
                        FlagOperation.ADD, Set.of("\\Seen"), -1), (StoreResult res) -> {
                    ctx.updates().applyOwnUpdates(res.updated());
                    writeFetch(tag, uid, targets, withFlags);
                });
                return;
            }
        }
        writeFetch(tag, uid, targets, all);
    }

    private void writeFetch(String tag, boolean uid, List<Integer> targets, List<FetchItem> items) {
        SelectedFolder s = session.selected;
        if (s != null && items.stream().anyMatch(i -> i.name().equals("FLAGS"))) {
            Set<String> shown = new HashSet<>();
            for (int i : targets) {
                if (i < s.count()) {
                    shown.addAll(s.messages.get(i).flags());
                }
            }
            ctx.updates().announceKeywords(shown);
        }
        ctx.runFetch(s, targets, items, err -> {
            if (err == null) {
                ctx.finish(tag, "OK Fetch completed.", uid);
            } else if (err instanceof MailboxException e) {
                ctx.finish(tag, "NO [" + e.code() + "] " + e.getMessage(), uid);
            } else {
                LOG.warn("FETCH failed for {}: {}", session.account, err.toString());
                ctx.finish(tag, "NO [SERVERBUG] Internal error occurred reading messages.", uid);
            }
        });
    }
}
