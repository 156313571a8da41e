package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.imap.MessageSorter;
import io.mailfleet.core.imap.SearchEvaluator;
import io.mailfleet.core.imap.SearchKey;
import io.mailfleet.core.imap.SortData;
import io.mailfleet.core.imap.ThreadNode;
import io.mailfleet.core.imap.Threader;
import io.mailfleet.core.mailbox.MessageView;
import io.mailfleet.core.mime.HeaderIndex;
import io.mailfleet.protocols.imap.HeavyCommands;
import io.mailfleet.protocols.imap.SearchReturn;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.SearchCommands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** SEARCH (ESEARCH, SEARCHRES), SORT and THREAD, run where {@link HeavyCommands} says. */
final class SearchHandler {

    /** Octets of References fields read per message for THREAD=REFERENCES. */
    private static final int MAX_REFERENCES = 64 * 1024;

    private final ImapContext ctx;
    private final SessionState session;

    SearchHandler(ImapContext ctx) {
        this.ctx = ctx;
        this.session = ctx.session();
    }

    void search(String tag, SearchCommands.Search r) {
        SearchKey key = r.key();
        boolean uid = r.uid();
        if (containsModseq(key)) {
            ConnectionHandler.enableCondstore(ctx);
        }
        SelectedFolder s = session.selected;
        SearchReturn ret = r.returns();
        ctx.heavy(tag, "SEARCH", uid, HeavyCommands.readsContent(key), snapshot -> matching(snapshot, key),
                matched -> searchResults(tag, uid, ret, key, s, matched), () -> {
                    if (ret != null && ret.save()) {
                        session.savedUids = List.of();
                    }
                });
    }

    private void searchResults(String tag, boolean uid, SearchReturn ret, SearchKey key, SelectedFolder s,
                               List<Integer> matched) {
        List<Long> hits = new ArrayList<>();
        long maxModseq = 0;
        for (int i : matched) {
            MessageView m = s.messages.get(i);
            hits.add(uid ? m.uid() : i + 1);
            maxModseq = Math.max(maxModseq, m.modseq());
        }
        boolean modseq = containsModseq(key) && !hits.isEmpty();
        if (ret == null) {
            StringBuilder sb = new StringBuilder("SEARCH");
            hits.forEach(h -> sb.append(' ').append(h));
            if (modseq) {
                sb.append(" (MODSEQ ").append(maxModseq).append(')');
            }
            ctx.untagged(sb.toString());
            ctx.finish(tag, "OK Search completed.", uid);
            return;
        }
        if (ret.save()) {
            List<Integer> kept = ret.savedPositions(matched);
            List<Long> uids = new ArrayList<>();
            kept.forEach(i -> uids.add(s.messages.get(i).uid()));
            session.savedUids = List.copyOf(uids);
        }
        if (!ret.onlySave()) {
            if (modseq) {
                // RFC 4731 §3.2: the highest mod-sequence of the messages returned (only MIN/MAX when
                // those alone are asked for), which are the positions SAVE would keep
                maxModseq = 0;
                for (int i : ret.savedPositions(matched)) {
                    maxModseq = Math.max(maxModseq, s.messages.get(i).modseq());
                }
            }
            ctx.untagged(ret.esearch(tag, uid, hits, modseq ? maxModseq : -1));
        }
        ctx.finish(tag, "OK Search completed.", uid);
    }

    void sort(String tag, SearchCommands.Sort r) {
        boolean uid = r.uid();
        ctx.heavy(tag, "SORT", uid, true,
                snapshot -> MessageSorter.sort(sortData(snapshot, r.key(), uid), r.criteria()), sorted -> {
            StringBuilder sb = new StringBuilder("SORT");
            sorted.forEach(id -> sb.append(' ').append(id));
            ctx.untagged(sb.toString());
            ctx.finish(tag, "OK Sort completed.", uid);
        }, () -> { });
    }

    void thread(String tag, SearchCommands.Thread r) {
        boolean uid = r.uid();
        ctx.heavy(tag, "THREAD", uid, true, snapshot -> {
            List<SortData> data = sortData(snapshot, r.key(), uid);
            if (r.algorithm().equals("ORDEREDSUBJECT")) {
                return Threader.orderedSubject(data);
            }
            Map<Long, List<String>> refs = new HashMap<>();
            for (SortData d : data) {
                refs.put(d.id(), references(snapshot.messages.get(d.seq() - 1)));
            }
            return Threader.references(data, d -> refs.get(d.id()));
        }, threads -> {
            ctx.untagged("THREAD " + ThreadNode.format(threads));
            ctx.finish(tag, "OK Thread completed.", uid);
        }, () -> { });
    }

    /** The message ids of the References header of {@code m} (read from its stored header). */
    private List<String> references(MessageView m) throws IOException {
        // the References of a message stored before the header limits are read up to a bound
        try (InputStream in = HeaderIndex.selection(
                ctx.services().blobs().openRange(m.blob(), 0, m.summary().headerEnd()), List.of("References"), false)) {
            byte[] raw = in.readNBytes(MAX_REFERENCES);
            String text = new String(raw, StandardCharsets.UTF_8).replaceAll("\\r?\\n[ \\t]", " ");
            return Threader.messageIds(text.length() > 11 ? text.substring(11) : "");
        }
    }

    private List<SortData> sortData(SelectedFolder s, SearchKey key, boolean uid) throws IOException {
        List<SortData> data = new ArrayList<>();
        for (int i : matching(s, key)) {
            MessageView m = s.messages.get(i);
            data.add(SortData.of(uid ? m.uid() : i + 1, i + 1, m));
        }
        return data;
    }

    /** Zero-based indexes of the messages of {@code s} matching {@code key}. */
    private List<Integer> matching(SelectedFolder s, SearchKey key) throws IOException {
        SearchEvaluator eval = new SearchEvaluator(ctx.services().blobs(), s.recent, s.maxUid(), s.count());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            if (eval.matches(key, s.messages.get(i), i + 1)) {
                out.add(i);
            }
        }
        return out;
    }

    private static boolean containsModseq(SearchKey k) {
        if (k instanceof SearchKey.ModSeq) {
            return true;
        } else if (k instanceof SearchKey.And and) {
            return and.keys().stream().anyMatch(SearchHandler::containsModseq);
        } else if (k instanceof SearchKey.Or or) {
            return containsModseq(or.a()) || containsModseq(or.b());
        } else if (k instanceof SearchKey.Not not) {
            return containsModseq(not.key());
        }
        return false;
    }
}
