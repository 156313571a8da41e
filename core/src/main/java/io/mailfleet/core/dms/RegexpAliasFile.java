package io.mailfleet.core.dms;

import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.directory.RegexAliasPattern;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code postfix-regexp.cf}: {@code /pattern/flags target[,targets]} (Postfix pcre table, matched after
 * the virtual aliases). Entries keep the pattern text with its flags, see {@link RegexAliasPattern}.
 */
public final class RegexpAliasFile {

    public static final String NAME = "postfix-regexp.cf";

    private RegexpAliasFile() {
    }

    /** Parses the lines in order; invalid patterns, targets and {@code if}/{@code endif} blocks are reported. */
    public static ParseResult<RegexAlias> parse(List<String> lines) {
        ParseCollector<RegexAlias> c = new ParseCollector<>(NAME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (DmsLines.isIgnorable(line)) {
                continue;
            }
            if (DmsLines.isContinuation(line)) {
                c.problem(i + 1, line, "continuation line without a pattern before it");
                continue;
            }
            String s = line.strip();
            String word = DmsLines.firstToken(s);
            if (word.equalsIgnoreCase("if") || word.equalsIgnoreCase("endif")) {
                c.problem(i + 1, line, "if/endif blocks are not supported");
                continue;
            }
            int end = patternEnd(s);
            if (end < 0) {
                c.problem(i + 1, line, "expected /pattern/flags followed by targets, found no closing delimiter");
                continue;
            }
            int lineNo = i + 1;
            String patternText = s.substring(0, end);
            StringBuilder rest = new StringBuilder(DmsLines.content(s.substring(end)));
            while (i + 1 < lines.size() && DmsLines.isContinuation(lines.get(i + 1))) {
                rest.append(' ').append(DmsLines.content(lines.get(++i)));
            }
            RegexAliasPattern pattern;
            try {
                pattern = RegexAliasPattern.compile(patternText);
            } catch (IllegalArgumentException e) {
                c.problem(lineNo, line, e.getMessage());
                continue;
            }
            Set<String> targets = new LinkedHashSet<>();
            for (String t : rest.toString().strip().split("[,\\s]+")) {
                if (t.isEmpty()) {
                    continue;
                }
                Optional<String> problem = pattern.checkTemplate(t);
                if (problem.isPresent()) {
                    c.problem(lineNo, line, problem.get());
                } else if (t.contains("$") || DmsLines.target(t).isPresent()) {
                    targets.add(t.contains("$") ? t : DmsLines.target(t).get());
                } else {
                    c.problem(lineNo, line, "invalid target '" + t + "' skipped");
                }
            }
            if (targets.isEmpty()) {
                c.problem(lineNo, line, "pattern " + patternText + " has no valid target");
                continue;
            }
            c.add(new RegexAlias(patternText, List.copyOf(targets)));
        }
        return c.result();
    }

    /** Replaces the line of {@code pattern} (same text) or appends one. */
    public static List<String> put(List<String> lines, String pattern, List<String> targets) {
        RegexAliasPattern.compile(pattern);
        if (targets.isEmpty()) {
            throw new DmsEditException("a regexp alias needs at least one target");
        }
        String line = pattern.strip() + " " + String.join(",", targets);
        List<String> out = new ArrayList<>(lines);
        int i = find(out, pattern.strip());
        if (i >= 0) {
            out.set(i, line);
        } else {
            out.add(line);
        }
        return out;
    }

    /** Removes the line of {@code pattern}; unchanged when absent. */
    public static List<String> remove(List<String> lines, String pattern) {
        List<String> out = new ArrayList<>(lines);
        int i = find(out, pattern.strip());
        if (i >= 0) {
            out.remove(i);
        }
        return out;
    }

    private static int find(List<String> lines, String pattern) {
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (!DmsLines.isIgnorable(s)) {
                int end = patternEnd(s);
                if (end > 0 && s.substring(0, end).equals(pattern)) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** End index (exclusive) of {@code [!]/re/flags} at the start of {@code s}, or -1. */
    private static int patternEnd(String s) {
        int start = s.startsWith("!") ? 1 : 0;
        if (start >= s.length()) {
            return -1;
        }
        char delim = s.charAt(start);
        if (Character.isLetterOrDigit(delim) || Character.isWhitespace(delim)) {
            return -1;
        }
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == delim) {
                int j = i + 1;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j))) {
                    j++;
                }
                return j;
            }
        }
        return -1;
    }
}
