package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.imap.SequenceSet;
import io.mailfleet.core.mailbox.AppendRequest;
import io.mailfleet.core.mailbox.AppendResult;
import io.mailfleet.core.mailbox.CopyResult;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.TransferCommands;
import io.mailfleet.protocols.imap.command.TransferCommands.AppendItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** APPEND (MULTIAPPEND), COPY and MOVE: messages into a mailbox, within the quota, with their new uids. */
final class TransferHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TransferHandler.class);

    private final ImapContext ctx;
    private final SessionState session;
    private final QuotaHandler quota;

    TransferHandler(ImapContext ctx, QuotaHandler quota) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.quota = quota;
    }

    void append(String tag, TransferCommands.Append r) {
        List<AppendItem> items = r.items();
        String mbox = r.mailbox();
        long total = items.stream().mapToLong(i -> i.literal().size()).sum();
        CompletionStage<List<AppendResult>> done = quota.check(total).thenCompose(v -> appendAll(items, mbox));
        // MULTIAPPEND (RFC 3502) is all or nothing: the mailbox appends every message in one journal write.
        ctx.async(tag, "APPEND", done.whenComplete((res, err) -> {
            if (err != null) {
                for (AppendItem i : items) {
                    i.literal().blob().thenAccept(ref -> {
                        try {
                            ctx.services().blobs().delete(ref);
                        } catch (IOException e) {
                            LOG.debug("could not delete blob of failed APPEND: {}", e.toString());
                        }
                    });
                }
            }
        }), results -> {
            long validity = results.get(0).uidValidity();
            List<Long> uids = results.stream().map(AppendResult::uid).toList();
            // Into the selected mailbox: EXISTS precedes the tagged OK, so the client can FETCH it next.
            boolean intoSelected = session.selected != null && session.selected.name.equals(mbox);
            ctx.finish(tag, "OK [APPENDUID " + validity + " " + SequenceSet.format(uids) + "] Append completed.", true,
                    intoSelected);
        });
    }

    private CompletionStage<List<AppendResult>> appendAll(List<AppendItem> items, String mbox) {
        String account = session.account;
        if (items.size() == 1) {
            AppendItem i = items.get(0);
            return i.literal().blob()
                    .thenCompose(ref -> ctx.services().mailboxes().append(account, mbox, ref, i.date(), i.flags()))
                    .thenApply(List::of);
        }
        CompletableFuture<?>[] blobs = items.stream().map(i -> i.literal().blob().toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(blobs).thenCompose(v -> {
            List<AppendRequest> requests = new ArrayList<>();
            for (int k = 0; k < items.size(); k++) {
                AppendItem i = items.get(k);
                requests.add(new AppendRequest((BlobRef) blobs[k].join(), i.date(), i.flags()));
            }
            return ctx.services().mailboxes().appendAll(account, mbox, requests);
        });
    }

    void copy(String tag, TransferCommands.Copy r) {
        boolean uid = r.uid();
        boolean move = r.move();
        String target = r.target();
        SelectedFolder s = session.selected;
        if (move && s.readOnly) {
            throw new MailboxException("READ-ONLY", "Mailbox is read-only.");
        }
        List<Long> uids = MessageSets.resolve(session, r.set(), uid).stream().map(i -> s.messages.get(i).uid()).toList();
        if (uids.isEmpty()) {
            ctx.finish(tag, "OK No messages found.", uid);
            return;
        }
        long bytes = 0;
        for (long u : uids) {
            bytes += s.messages.get(s.indexOf(u)).size();
        }
        String name = move ? "MOVE" : "COPY";
        CompletionStage<CopyResult> stage = (move ? CompletableFuture.<Void>completedFuture(null) : quota.check(bytes))
                .thenCompose(v -> ctx.services().mailboxes().copy(session.account, s.name, uids, target, move));
        ctx.async(tag, name, stage, (CopyResult res) -> {
            String code = res.sourceUids().isEmpty() ? "" : "[COPYUID " + res.uidValidity() + " "
                    + SequenceSet.format(res.sourceUids()) + " " + SequenceSet.format(res.destinationUids()) + "] ";
            if (move) {
                if (!code.isEmpty()) {
                    ctx.untagged("OK " + code + "Moved UIDs.");
                }
                ctx.updates().removeExpunged(res.sourceUids());
                // RFC 6851 §3.3: a MOVE into the selected mailbox shows the new messages like an arrival
                ctx.finish(tag, "OK Move completed.", true, session.selected == s && s.name.equals(target));
            } else {
                ctx.finish(tag, "OK " + code + "Copy completed.", uid, session.selected == s && s.name.equals(target));
            }
        });
    }
}
