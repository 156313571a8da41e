package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.ExpungeResult;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mailbox.StoreResult;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.MessageCommands;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** STORE (with UNCHANGEDSINCE), EXPUNGE and UID EXPUNGE: the commands that change the selected mailbox's messages. */
final class StoreHandler {

    private final ImapContext ctx;
    private final SessionState session;

    StoreHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void store(String tag, MessageCommands.Store r) {
        boolean uid = r.uid();
        boolean silent = r.silent();
        SelectedFolder s = session.selected;
        if (s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        List<Integer> indexes = MessageSets.resolve(session, r.set(), uid);
        List<Long> uids = indexes.stream().map(i -> s.messages.get(i).uid()).toList();
        long since = r.unchangedSince();
        ctx.async(tag, "STORE", ctx.services().mailboxes().store(session.account, s.name, uids, r.operation(),
                r.flags(), since), (StoreResult res) -> {
            ctx.updates().applyOwnUpdates(res.updated());
            if (!silent) {
                Set<String> shown = new HashSet<>();
                res.updated().forEach(u -> shown.addAll(u.flags()));
                for (long u : uids) {
                    int i = s.indexOf(u);
                    if (i >= 0) {
                        shown.addAll(s.messages.get(i).flags());
                    }
                }
                ctx.updates().announceKeywords(shown);
            }
            Set<Long> modified = new HashSet<>(res.modified());
            Set<Long> changed = new HashSet<>();
            res.updated().forEach(u -> changed.add(u.uid()));
            for (long u : uids) {
                int i = s.indexOf(u);
                if (i < 0 || modified.contains(u)) {
                    continue;
                }
                if (silent && !(since >= 0 && changed.contains(u))) {
                    continue;
                }
                MessageView m = s.messages.get(i);
                StringBuilder sb = new StringBuilder();
                sb.append(i + 1).append(" FETCH (");
                if (uid) {
                    sb.append("UID ").append(m.uid()).append(' ');
                }
                if (!silent) {
                    sb.append("FLAGS (").append(String.join(" ", s.flagsOf(m))).append(")");
                }
                if (session.condstore) {
                    sb.append(silent ? "" : " ").append("MODSEQ (").append(m.modseq()).append(")");
                }
                ctx.untagged(sb.toString().trim() + ")");
            }
            String code = "";
            if (!modified.isEmpty()) {
                List<Long> ids = new ArrayList<>();
                for (long u : new TreeSet<>(modified)) {
                    ids.add(uid ? u : (long) s.indexOf(u) + 1);
                }
                code = "[MODIFIED " + SequenceSet.format(ids) + "] ";
            }
            ctx.finish(tag, "OK " + code + (code.isEmpty() ? "Store completed." : "Conditional store failed."), uid);
        });
    }

    void expunge(String tag, MessageCommands.Expunge r) {
        Collection<Long> uids = null;
        if (r.uid()) {
            SelectedFolder view = session.selected;
            uids = MessageSets.resolve(session, r.set(), true).stream().map(i -> view.messages.get(i).uid()).toList();
        }
        SelectedFolder s = session.selected;
        if (s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        ctx.async(tag, "EXPUNGE", ctx.services().mailboxes().expunge(session.account, s.name, uids), (ExpungeResult res) -> {
            ctx.updates().removeExpunged(res.uids());
            s.highestModseq = Math.max(s.highestModseq, res.modseq());
            ctx.finish(tag, "OK " + (session.condstore ? "[HIGHESTMODSEQ " + Math.max(1, s.highestModseq) + "] " : "")
                    + "Expunge completed.", true);
        });
    }
}
