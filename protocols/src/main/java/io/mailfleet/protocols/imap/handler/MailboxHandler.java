package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.mailbox.MailboxException;
import io.mailfleet.protocols.imap.ListOptions;
import io.mailfleet.protocols.imap.LsubParents;
import io.mailfleet.protocols.imap.MailboxNames;
import io.mailfleet.protocols.imap.command.MailboxCommands;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS and NAMESPACE. */
final class MailboxHandler {

    private final ImapContext ctx;
    private final SessionState session;
    private final char delimiter;

    MailboxHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
        this.delimiter = ctx.settings().delimiter();
    }

    void create(String tag, MailboxCommands.Create r) {
        ctx.async(tag, "CREATE", ctx.services().mailboxes().create(session.account, r.names(), r.specialUse()),
                v -> ctx.finish(tag, "OK Create completed.", true));
    }

    void delete(String tag, MailboxCommands.Delete r) {
        if (session.selected != null && session.selected.name.equals(r.mailbox())) {
            throw new MailboxException("CANNOT", "Can't delete the selected mailbox.");
        }
        ctx.async(tag, "DELETE", ctx.services().mailboxes().delete(session.account, r.mailbox(), delimiter),
                v -> ctx.finish(tag, "OK Delete completed.", true));
    }

    void rename(String tag, MailboxCommands.Rename r) {
        ctx.async(tag, "RENAME", ctx.services().mailboxes().rename(session.account, r.from(), r.to(), delimiter),
                v -> ctx.finish(tag, "OK Rename completed.", true));
    }

    void subscribe(String tag, MailboxCommands.Subscribe r) {
        boolean sub = r.subscribe();
        ctx.async(tag, sub ? "SUBSCRIBE" : "UNSUBSCRIBE",
                ctx.services().mailboxes().subscribe(session.account, r.mailbox(), sub),
                v -> ctx.finish(tag, "OK " + (sub ? "Subscribe" : "Unsubscribe") + " completed.", true));
    }

    void namespace(String tag, MailboxCommands.Namespace r) {
        ctx.untagged("NAMESPACE ((\"\" \"" + delimiter + "\")) NIL NIL");
        ctx.finish(tag, "OK Namespace completed.", true);
    }

    void list(String tag, MailboxCommands.ListMailboxes r) {
        if (r.delimiterOnly()) {
            ctx.untagged("LIST (\\Noselect) \"" + delimiter + "\" \"\"");
            ctx.finish(tag, "OK List completed.", true);
            return;
        }
        boolean lsub = r.lsub();
        String name = lsub ? "LSUB" : "LIST";
        ListOptions opts = r.options();
        List<Pattern> res = r.patterns();
        boolean utf8 = session.utf8;
        ctx.async(tag, name, ctx.services().mailboxes().folders(session.account), (List<FolderInfo> folders) -> {
            Set<String> names = new HashSet<>();
            folders.stream().filter(FolderInfo::exists).forEach(f -> names.add(f.name()));
            String prefixEnd = String.valueOf(delimiter);
            for (FolderInfo f : sorted(folders)) {
                boolean matches = res.stream().anyMatch(re -> re.matcher(f.name()).matches());
                if (!matches) {
                    continue;
                }
                boolean subscribedChild = opts.recursiveMatch && folders.stream().anyMatch(x -> x.subscribed()
                        && x.name().startsWith(f.name() + prefixEnd));
                if (lsub && !f.subscribed()
                        || opts.selectSubscribed && !f.subscribed() && !subscribedChild
                        || opts.selectSpecialUse && f.specialUse() == null
                        || !f.exists() && !lsub && !opts.selectSubscribed) {
                    continue;
                }
                List<String> attrs = new ArrayList<>();
                if (!f.exists()) {
                    // a subscription that outlived its folder (RFC 3501 §6.3.6, RFC 5258 §3.4)
                    attrs.add(lsub ? "\\Noselect" : "\\NonExistent");
                }
                boolean children = names.stream().anyMatch(n -> n.startsWith(f.name() + prefixEnd));
                if (!lsub) {
                    if (!opts.extended || opts.returnChildren) {
                        attrs.add(children ? "\\HasChildren" : "\\HasNoChildren");
                    }
                    if (f.specialUse() != null) {
                        attrs.add(f.specialUse());
                    }
                    if (f.subscribed() && (!opts.extended || opts.returnSubscribed || opts.selectSubscribed)) {
                        attrs.add("\\Subscribed");
                    }
                }
                String ext = subscribedChild && !f.subscribed() ? " (\"CHILDINFO\" (\"SUBSCRIBED\"))" : "";
                ctx.untagged(name + " (" + String.join(" ", attrs) + ") \"" + delimiter + "\" "
                        + MailboxNames.toWire(f.name(), utf8) + ext);
                if (opts.status != null && f.exists() && (!opts.selectSubscribed || f.subscribed())) {
                    ctx.untagged(statusLine(f, opts.status));
                }
            }
            if (lsub) {
                // RFC 3501 §6.3.9: "%" stops above a subscribed child; its parent is listed \Noselect
                for (String parent : LsubParents.of(folders, res, delimiter)) {
                    ctx.untagged("LSUB (\\Noselect) \"" + delimiter + "\" " + MailboxNames.toWire(parent, utf8));
                }
            }
            ctx.finish(tag, "OK " + (lsub ? "Lsub" : "List") + " completed.", true);
        });
    }

    private static List<FolderInfo> sorted(List<FolderInfo> folders) {
        List<FolderInfo> out = new ArrayList<>(folders);
        out.sort((x, y) -> x.name().equals("INBOX") ? -1 : y.name().equals("INBOX") ? 1 : x.name().compareTo(y.name()));
        return out;
    }

    void status(String tag, MailboxCommands.Status r) {
        ctx.async(tag, "STATUS", ctx.services().mailboxes().folders(session.account), (List<FolderInfo> folders) -> {
            FolderInfo f = folders.stream().filter(x -> x.exists() && x.name().equals(r.mailbox())).findFirst()
                    .orElseThrow(() -> new MailboxException("NONEXISTENT", "Mailbox doesn't exist."));
            ctx.untagged(statusLine(f, r.items()));
            ctx.finish(tag, "OK Status completed.", true);
        });
    }

    private String statusLine(FolderInfo f, List<String> items) {
        List<String> out = new ArrayList<>();
        for (String item : items) {
            long v = switch (item) {
                case "MESSAGES" -> f.messages();
                case "RECENT" -> f.recent();
                case "UIDNEXT" -> f.uidNext();
                case "UIDVALIDITY" -> f.uidValidity();
                case "UNSEEN" -> f.unseen();
                case "HIGHESTMODSEQ" -> Math.max(1, f.highestModseq());
                default -> f.size();
            };
            out.add(item + " " + v);
        }
        return "STATUS " + MailboxNames.toWire(f.name(), session.utf8) + " (" + String.join(" ", out) + ")";
    }
}
