package io.mailfleet.core.dms;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code postfix-virtual.cf}: {@code alias target[,target2,...]}, whitespace between alias and targets,
 * {@code @domain} for a catch-all, {@code #} comments (also trailing ones), and Postfix continuation
 * lines (a line starting with whitespace continues the previous entry).
 */
public final class VirtualAliasFile {

    public static final String NAME = "postfix-virtual.cf";

    private VirtualAliasFile() {
    }

    /** Parses the lines; bad sources or targets are reported; duplicates are reported, the first wins (postmap). */
    public static ParseResult<AliasEntry> parse(List<String> lines) {
        ParseCollector<AliasEntry> c = new ParseCollector<>(NAME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (DmsLines.isIgnorable(line)) {
                continue;
            }
            if (DmsLines.isContinuation(line)) {
                c.problem(i + 1, line, "continuation line without an alias before it");
                continue;
            }
            StringBuilder logical = new StringBuilder(DmsLines.content(line));
            int first = i;
            while (i + 1 < lines.size() && DmsLines.isContinuation(lines.get(i + 1))) {
                logical.append(' ').append(DmsLines.content(lines.get(++i)));
            }
            String content = logical.toString();
            String src = DmsLines.firstToken(content);
            String rest = content.substring(src.length()).strip();
            Optional<String> source = DmsLines.aliasSource(src);
            if (source.isEmpty()) {
                c.problem(first + 1, line, "'" + src
                        + "' is not a valid alias (expected user@example.com or @example.com)");
                continue;
            }
            if (rest.isEmpty()) {
                c.problem(first + 1, line, "alias " + source.get() + " has no target");
                continue;
            }
            Set<String> targets = new LinkedHashSet<>();
            for (String t : rest.split("[,\\s]+")) {
                if (t.isEmpty()) {
                    continue;
                }
                Optional<String> target = DmsLines.target(t);
                if (target.isPresent()) {
                    targets.add(target.get());
                } else {
                    c.problem(first + 1, line, "alias " + source.get() + ": invalid target '" + t + "' skipped");
                }
            }
            if (targets.isEmpty()) {
                continue;
            }
            if (!c.first(source.get())) {
                c.problem(first + 1, line, "duplicate alias " + source.get() + " ignored, the first line wins");
                continue;
            }
            c.add(new AliasEntry(source.get(), List.copyOf(targets)));
        }
        return c.result();
    }

    /**
     * Adds a target to an alias ({@code setup alias add}): appended comma-separated to the existing
     * line, or a new line. Unchanged when the alias already has the target.
     */
    public static List<String> addTarget(List<String> lines, String source, String target) {
        String src = requireSource(source);
        String tgt = DmsLines.target(target).orElseThrow(
                () -> new DmsEditException("'" + target + "' is not a valid alias target"));
        List<String> out = new ArrayList<>(lines);
        int i = find(out, src);
        if (i < 0) {
            out.add(src + " " + tgt);
            return out;
        }
        int end = lastContinuation(out, i);
        List<String> current = targetsOf(out, i, end);
        if (current.contains(tgt)) {
            return out;
        }
        String last = out.get(end);
        int c = DmsLines.commentStart(last);
        out.set(end, last.substring(0, c).stripTrailing() + "," + tgt + last.substring(c));
        return out;
    }

    /** Removes a target of an alias; the alias line goes with its last target. Unchanged when absent. */
    public static List<String> removeTarget(List<String> lines, String source, String target) {
        String src = requireSource(source);
        String tgt = DmsLines.target(target).orElse(target);
        List<String> out = new ArrayList<>(lines);
        int i = find(out, src);
        if (i < 0) {
            return out;
        }
        int end = lastContinuation(out, i);
        List<String> current = new ArrayList<>(targetsOf(out, i, end));
        if (!current.remove(tgt)) {
            return out;
        }
        String comment = out.get(i).substring(DmsLines.commentStart(out.get(i)));
        for (int k = end; k >= i; k--) {
            out.remove(k);
        }
        if (!current.isEmpty()) {
            out.add(i, src + " " + String.join(",", current) + comment);
        }
        return out;
    }

    /** Removes an alias with all its targets; unchanged when absent. */
    public static List<String> removeAlias(List<String> lines, String source) {
        String src = requireSource(source);
        List<String> out = new ArrayList<>(lines);
        int i = find(out, src);
        if (i >= 0) {
            int end = lastContinuation(out, i);
            for (int k = end; k >= i; k--) {
                out.remove(k);
            }
        }
        return out;
    }

    /** Removes {@code target} from every alias, dropping aliases left empty ({@code setup email del}). */
    public static List<String> removeTargetEverywhere(List<String> lines, String target) {
        List<String> out = new ArrayList<>(lines);
        for (AliasEntry e : parse(lines).entries()) {
            if (e.targets().contains(DmsLines.target(target).orElse(target))) {
                out = removeTarget(out, e.source(), target);
            }
        }
        return out;
    }

    private static List<String> targetsOf(List<String> lines, int start, int end) {
        StringBuilder sb = new StringBuilder(DmsLines.content(lines.get(start)));
        for (int k = start + 1; k <= end; k++) {
            sb.append(' ').append(DmsLines.content(lines.get(k)));
        }
        String content = sb.toString();
        String rest = content.substring(DmsLines.firstToken(content).length()).strip();
        List<String> out = new ArrayList<>();
        for (String t : rest.split("[,\\s]+")) {
            if (!t.isEmpty()) {
                out.add(DmsLines.target(t).orElse(t));
            }
        }
        return out;
    }

    private static int lastContinuation(List<String> lines, int i) {
        int end = i;
        while (end + 1 < lines.size() && DmsLines.isContinuation(lines.get(end + 1))) {
            end++;
        }
        return end;
    }

    private static int find(List<String> lines, String source) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (DmsLines.isIgnorable(l) || DmsLines.isContinuation(l)) {
                continue;
            }
            if (DmsLines.aliasSource(DmsLines.firstToken(DmsLines.content(l))).filter(source::equals).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    private static String requireSource(String source) {
        if (source == null || source.indexOf('@') < 0) {
            throw new DmsEditException("'" + source + "' should include the domain (user@example.com)");
        }
        return DmsLines.aliasSource(source).orElseThrow(
                () -> new DmsEditException("'" + source + "' is not a valid alias"));
    }
}
