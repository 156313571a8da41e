package io.mailfleet.core.imap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The THREAD algorithms of RFC 5256: ORDEREDSUBJECT and REFERENCES. */
public final class Threader {

    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");

    private Threader() {
    }

    /** The message ids ({@code <...>}) found in a header value, in order. */
    public static List<String> messageIds(String header) {
        List<String> out = new ArrayList<>();
        if (header != null) {
            Matcher m = MSG_ID.matcher(header);
            while (m.find()) {
                out.add(m.group());
            }
        }
        return out;
    }

    /** ORDEREDSUBJECT: messages grouped by base subject; every later message is a child of the first. */
    public static List<ThreadNode> orderedSubject(List<SortData> items) {
        List<SortData> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing((SortData d) -> d.subject().text()).thenComparing(SortData::sent)
                .thenComparingInt(SortData::seq));
        List<List<SortData>> groups = new ArrayList<>();
        for (SortData d : sorted) {
            if (groups.isEmpty() || !groups.get(groups.size() - 1).get(0).subject().text().equals(d.subject().text())) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(d);
        }
        groups.sort(Comparator.comparing((List<SortData> g) -> g.get(0).sent()).thenComparingInt(g -> g.get(0).seq()));
        List<ThreadNode> out = new ArrayList<>();
        for (List<SortData> g : groups) {
            List<ThreadNode> children = new ArrayList<>();
            for (int i = 1; i < g.size(); i++) {
                children.add(new ThreadNode(g.get(i).id(), List.of()));
            }
            out.add(new ThreadNode(g.get(0).id(), children));
        }
        return out;
    }

    /** A container of the REFERENCES algorithm; {@code message} null for a dummy. */
    private static final class Container {
        SortData message;
        Container parent;
        final List<Container> children = new ArrayList<>();

        boolean isAncestorOf(Container c) {
            for (Container p = c; p != null; p = p.parent) {
                if (p == this) {
                    return true;
                }
            }
            return false;
        }

        void unlink() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }

        void addChild(Container c) {
            c.unlink();
            c.parent = this;
            children.add(c);
        }
    }

    /**
     * REFERENCES (RFC 5256 §3, after Zawinski): parents from References (or In-Reply-To), dummies
     * pruned, roots grouped by base subject, siblings ordered by sent date.
     *
     * @param references the message ids of each message's References header, oldest first
     */
    public static List<ThreadNode> references(List<SortData> items, Function<SortData, List<String>> references) {
        Map<String, Container> byId = new HashMap<>();
        List<Container> all = new ArrayList<>();
        int unique = 0;
        for (SortData d : items) {
            List<String> own = messageIds(d.messageId());
            String id = own.isEmpty() ? null : own.get(0);
            Container c = id == null ? null : byId.get(id);
            if (c != null && c.message != null) {
                c = null;
                id = null;
            }
            if (c == null) {
                c = new Container();
                if (id == null) {
                    id = "\u0000unique" + unique++;
                }
                byId.put(id, c);
            }
            c.message = d;
            all.add(c);
            List<String> refs = new ArrayList<>(references.apply(d));
            if (refs.isEmpty()) {
                List<String> irt = messageIds(d.inReplyTo());
                if (!irt.isEmpty()) {
                    refs.add(irt.get(0));
                }
            }
            Container prev = null;
            for (String r : refs) {
                Container rc = byId.computeIfAbsent(r, k -> new Container());
                if (prev != null && rc.parent == null && !rc.isAncestorOf(prev) && rc != prev) {
                    prev.addChild(rc);
                }
                prev = rc;
            }
            if (prev != null && prev != c && !c.isAncestorOf(prev)) {
                prev.addChild(c);
            } else if (prev != null) {
                c.unlink();
            }
        }
        List<Container> roots = new ArrayList<>();
        for (Container c : byId.values()) {
            if (c.parent == null) {
                roots.add(c);
            }
        }
        roots = prune(roots, true);
        sortSiblings(roots);
        roots = groupBySubject(roots);
        sortSiblings(roots);
        List<ThreadNode> out = new ArrayList<>();
        for (Container r : roots) {
            out.add(node(r));
        }
        return out;
    }

    private static List<Container> prune(List<Container> level, boolean root) {
        List<Container> out = new ArrayList<>();
        for (Container c : level) {
            List<Container> kids = prune(new ArrayList<>(c.children), false);
            c.children.clear();
            for (Container k : kids) {
                k.parent = c;
                c.children.add(k);
            }
            if (c.message == null) {
                if (c.children.isEmpty()) {
                    continue;
                }
                if (!root || c.children.size() == 1) {
                    for (Container k : c.children) {
                        k.parent = root ? null : c.parent;
                        out.add(k);
                    }
                    c.children.clear();
                    continue;
                }
            }
            out.add(c);
        }
        return out;
    }

    private static SortData dateSource(Container c) {
        return c.message != null ? c.message : c.children.isEmpty() ? null : dateSource(c.children.get(0));
    }

    private static final Comparator<Container> BY_DATE = (a, b) -> {
        SortData x = dateSource(a);
        SortData y = dateSource(b);
        int cmp = x.sent().compareTo(y.sent());
        return cmp != 0 ? cmp : Integer.compare(x.seq(), y.seq());
    };

    private static void sortSiblings(List<Container> level) {
        for (Container c : level) {
            sortSiblings(c.children);
        }
        level.sort(BY_DATE);
    }

    private static List<Container> groupBySubject(List<Container> roots) {
        Map<String, Container> table = new LinkedHashMap<>();
        for (Container c : roots) {
            SortData d = dateSource(c);
            String subject = d.subject().text();
            if (subject.isEmpty()) {
                continue;
            }
            Container old = table.get(subject);
            if (old == null
                    || c.message == null && old.message != null
                    || old.message != null && old.message.subject().reply() && c.message != null
                    && !c.message.subject().reply()) {
                table.put(subject, c);
            }
        }
        List<Container> out = new ArrayList<>();
        for (Container c : roots) {
            SortData d = dateSource(c);
            String subject = d.subject().text();
            Container t = subject.isEmpty() ? null : table.get(subject);
            if (t == null || t == c) {
                out.add(c);
                continue;
            }
            if (t.message == null && c.message == null) {
                for (Container k : new ArrayList<>(c.children)) {
                    t.addChild(k);
                }
            } else if (t.message == null) {
                t.addChild(c);
            } else if (c.message == null) {
                // The table entry joins this dummy, which replaces it.
                int at = out.indexOf(t);
                c.addChild(t);
                table.put(subject, c);
                if (at >= 0) {
                    out.set(at, c);
                } else {
                    out.add(c);
                }
            } else if (!t.message.subject().reply() && c.message.subject().reply()) {
                t.addChild(c);
            } else {
                Container dummy = new Container();
                int at = out.indexOf(t);
                dummy.addChild(t);
                dummy.addChild(c);
                table.put(subject, dummy);
                if (at >= 0) {
                    out.set(at, dummy);
                } else {
                    out.add(dummy);
                }
            }
        }
        return out;
    }

    private static ThreadNode node(Container c) {
        List<ThreadNode> kids = new ArrayList<>();
        for (Container k : c.children) {
            kids.add(node(k));
        }
        return new ThreadNode(c.message == null ? 0 : c.message.id(), kids);
    }
}
