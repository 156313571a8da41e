package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.FolderSnapshot;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.SelectionCommands;

import java.util.List;

/** SELECT, EXAMINE (with QRESYNC resynchronisation), CLOSE and UNSELECT. */
final class SelectionHandler {

    private final ImapContext ctx;
    private final SessionState session;

    SelectionHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void select(String tag, SelectionCommands.Select r) {
        boolean readOnly = r.readOnly();
        String name = readOnly ? "EXAMINE" : "SELECT";
        SelectionCommands.Qresync resync = r.qresync();
        if (session.selected != null) {
            ctx.updates().unselect();
            ctx.untagged("OK [CLOSED] Previous mailbox closed.");
        }
        ctx.async(tag, name, ctx.services().mailboxes().select(session.account, r.mailbox(), !readOnly),
                (FolderSnapshot snap) -> {
            SelectedFolder s = new SelectedFolder(snap.folder(), readOnly, snap.uidValidity(), snap.uidNext(),
                    snap.highestModseq(), snap.messages());
            s.recent.addAll(snap.recent());
            ctx.updates().select(s);
            session.keywords.responses().forEach(ctx::untagged);
            ctx.untagged(s.count() + " EXISTS");
            ctx.untagged(s.recent.size() + " RECENT");
            int unseen = s.unseenFirst();
            if (unseen > 0) {
                ctx.untagged("OK [UNSEEN " + unseen + "] First unseen.");
            }
            ctx.untagged("OK [UIDVALIDITY " + s.uidValidity + "] UIDs valid");
            ctx.untagged("OK [UIDNEXT " + s.uidNext + "] Predicted next UID");
            ctx.untagged("OK [HIGHESTMODSEQ " + Math.max(1, s.highestModseq) + "] Highest");
            String done = "OK [" + (readOnly ? "READ-ONLY" : "READ-WRITE") + "] " + (readOnly ? "Examine" : "Select")
                    + " completed.";
            if (resync == null || resync.uidValidity() != s.uidValidity) {
                ctx.finish(tag, done, true);
                return;
            }
            ctx.async(tag, name, ctx.services().mailboxes().expungedSince(session.account, s.name, resync.modseq()),
                    vanished -> {
                if (session.selected != s) {
                    ctx.finish(tag, done, true);
                    return;
                }
                List<Long> known = MessageSets.filterUids(vanished, resync.knownUids());
                if (!known.isEmpty()) {
                    ctx.untagged("VANISHED (EARLIER) " + SequenceSet.format(known));
                }
                for (int i = 0; i < s.count(); i++) {
                    MessageView m = s.messages.get(i);
                    if (m.modseq() > resync.modseq()) {
                        ctx.untagged((i + 1) + " FETCH (UID " + m.uid() + " FLAGS (" + String.join(" ", s.flagsOf(m))
                                + ") MODSEQ (" + Math.max(1, m.modseq()) + "))");
                    }
                }
                ctx.finish(tag, done, true);
            });
        });
    }

    void close(String tag, SelectionCommands.Close r) {
        SelectedFolder s = session.selected;
        if (!r.unselect() && !s.readOnly) {
            ctx.async(tag, "CLOSE", ctx.services().mailboxes().expunge(session.account, s.name, null), done -> {
                ctx.updates().unselect();
                ctx.finish(tag, "OK Close completed.", false);
            });
        } else {
            ctx.updates().unselect();
            ctx.finish(tag, "OK " + (r.unselect() ? "Unselect" : "Close") + " completed.", false);
        }
    }
}
