package io.mailfleet.core.sieve;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles Sieve source into a {@link CompiledScript}: RFC 5228 syntax, then validation of
 * commands, tests, tags, argument types and {@code require} of every extension used.
 */
public final class SieveCompiler {
    private static final Set<String> ADDRESS_HEADERS = Set.of("from", "to", "cc", "bcc", "sender", "reply-to",
            "resent-from", "resent-to", "resent-cc", "resent-bcc", "resent-sender", "resent-reply-to",
            "return-path", "delivered-to", "x-original-to", "envelope-to", "disposition-notification-to",
            "errors-to", "mail-followup-to", "mail-reply-to", "original-recipient", "x-envelope-to",
            "x-envelope-from", "apparently-to");
    static final Set<String> DATE_PARTS = Set.of("year", "month", "day", "date", "julian", "hour", "minute",
            "second", "time", "iso8601", "std11", "zone", "weekday");
    static final Set<String> RELATIONS = Set.of("gt", "ge", "lt", "le", "eq", "ne");
    static final Set<String> COMPARATORS = Set.of("i;octet", "i;ascii-casemap", "i;ascii-numeric");

    private final String name;
    private final SieveLimits limits;
    private final Set<String> required = new LinkedHashSet<>();

    private SieveCompiler(String name, SieveLimits limits) {
        this.name = name;
        this.limits = limits;
    }

    /** The extensions {@code require} accepts, sorted (the ManageSieve SIEVE capability). */
    public static java.util.SortedSet<String> supportedExtensions() {
        return java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(Specs.EXTENSIONS));
    }

    /** Compiles with {@link SieveLimits#defaults()}. */
    public static CompiledScript compile(String name, String source) throws ParseException {
        return compile(name, source, SieveLimits.defaults());
    }

    /** Parses and validates {@code source}; errors carry the line and column of the problem. */
    public static CompiledScript compile(String name, String source, SieveLimits limits) throws ParseException {
        if (source == null) {
            throw new ParseException(1, 1, "script is empty (null)");
        }
        int bytes = source.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxScriptSize()) {
            throw new ParseException(1, 1, "script is too large (" + bytes + " bytes, limit "
                    + limits.maxScriptSize() + ")");
        }
        int nul = source.indexOf('\0');
        if (nul >= 0) {
            int line = 1 + (int) source.substring(0, nul).chars().filter(c -> c == '\n').count();
            throw new ParseException(line, 1, "script contains a NUL character");
        }
        List<Ast.Node> nodes = SieveParser.parse(source, limits.maxNesting());
        SieveCompiler c = new SieveCompiler(name, limits);
        List<Invocation> commands = c.commands(nodes, true);
        return new CompiledScript(name, c.required, commands);
    }

    private List<Invocation> commands(List<Ast.Node> nodes, boolean top) throws ParseException {
        List<Invocation> out = new ArrayList<>();
        boolean requireAllowed = top;
        String previous = null;
        for (Ast.Node n : nodes) {
            Specs.Spec spec = Specs.COMMANDS.get(n.name());
            if (spec == null) {
                if (Specs.TESTS.containsKey(n.name())) {
                    throw err(n, "'" + n.name() + "' is a test, not a command; use it inside if");
                }
                throw err(n, "unknown command '" + n.name() + "'");
            }
            if (n.name().equals("require")) {
                if (!requireAllowed) {
                    throw err(n, "require command must come before any other command at the top of the script");
                }
            } else {
                requireAllowed = false;
            }
            if ((n.name().equals("elsif") || n.name().equals("else"))
                    && !("if".equals(previous) || "elsif".equals(previous))) {
                throw err(n, "'" + n.name() + "' without a preceding 'if' or 'elsif'");
            }
            Invocation inv = invocation(n, spec);
            if (n.name().equals("require")) {
                for (String ext : inv.list(0)) {
                    String e = ext.toLowerCase(Locale.ROOT);
                    if (!Specs.EXTENSIONS.contains(e) && !e.equals("comparator-i;octet")
                            && !e.equals("comparator-i;ascii-casemap")) {
                        throw err(n, "unsupported extension '" + ext + "' in require");
                    }
                    required.add(e);
                }
            }
            out.add(inv);
            previous = n.name();
        }
        return out;
    }

    private Invocation invocation(Ast.Node n, Specs.Spec spec) throws ParseException {
        if (spec.ext() != null) {
            need(spec.ext(), n, (spec.test() ? "test '" : "command '") + n.name() + "'");
        }
        if (n.name().equals("global")) {
            need("variables", n, "command 'global'");
        }
        Map<String, Ast.Arg> tags = new LinkedHashMap<>();
        Map<String, String> groups = new HashMap<>();
        List<Ast.Arg> positional = new ArrayList<>();
        List<Ast.Arg> args = n.args();
        for (int i = 0; i < args.size(); i++) {
            Ast.Arg a = args.get(i);
            if (a instanceof Ast.Tag tag) {
                if (!positional.isEmpty()) {
                    throw new ParseException(a.line(), a.column(), "tag " + tag.name() + " of '" + n.name()
                            + "' must come before its positional arguments");
                }
                Specs.TagSpec ts = spec.tags().get(tag.name());
                if (ts == null) {
                    throw new ParseException(a.line(), a.column(), "unknown tag " + tag.name() + " for '" + n.name()
                            + "'");
                }
                if (ts.ext() != null) {
                    need(ts.ext(), a, "tag " + tag.name());
                }
                if (tags.containsKey(tag.name())) {
                    throw new ParseException(a.line(), a.column(), "tag " + tag.name() + " given twice");
                }
                if (ts.group() != null) {
                    String other = groups.put(ts.group(), tag.name());
                    if (other != null) {
                        throw new ParseException(a.line(), a.column(), "tags " + other + " and " + tag.name()
                                + " cannot be used together");
                    }
                }
                if (ts.arg() == null) {
                    tags.put(tag.name(), tag);
                } else {
                    if (i + 1 >= args.size() || !fits(args.get(i + 1), ts.arg())) {
                        throw new ParseException(a.line(), a.column(), "tag " + tag.name() + " needs a "
                                + describe(ts.arg()) + " argument");
                    }
                    tags.put(tag.name(), literal(args.get(++i)));
                }
            } else {
                positional.add(literal(a));
            }
        }
        List<Specs.T> shape = null;
        for (List<Specs.T> candidate : spec.positionals()) {
            if (candidate.size() == positional.size() && matches(candidate, positional)) {
                shape = candidate;
            }
        }
        if (shape == null) {
            throw err(n, "wrong arguments for '" + n.name() + "': expected " + expected(spec));
        }
        if (spec.requiredGroup() != null && !groups.containsKey(spec.requiredGroup())) {
            throw err(n, "'" + n.name() + "' needs one of " + tagsOfGroup(spec, spec.requiredGroup()));
        }
        if (n.tests().size() < spec.minTests() || n.tests().size() > spec.maxTests()) {
            throw err(n, spec.maxTests() == 0 ? "'" + n.name() + "' takes no test"
                    : spec.maxTests() == 1 ? "'" + n.name() + "' needs exactly one test"
                    : "'" + n.name() + "' needs a list of tests");
        }
        if (spec.block() && n.block() == null) {
            throw err(n, "'" + n.name() + "' needs a block { ... }");
        }
        if (!spec.block() && n.block() != null) {
            throw err(n, "'" + n.name() + "' does not take a block");
        }
        List<Invocation> tests = new ArrayList<>();
        for (Ast.Node t : n.tests()) {
            Specs.Spec ts = Specs.TESTS.get(t.name());
            if (ts == null) {
                throw err(t, Specs.COMMANDS.containsKey(t.name()) ? "'" + t.name() + "' is a command, not a test"
                        : "unknown test '" + t.name() + "'");
            }
            tests.add(invocation(t, ts));
        }
        List<Invocation> block = n.block() == null ? null : commands(n.block(), false);
        Invocation inv = new Invocation(n.name(), Map.copyOf(tags), List.copyOf(positional), List.copyOf(tests),
                block == null ? null : List.copyOf(block), n.line());
        check(inv, n);
        return inv;
    }

    /** Checks that depend on argument values. */
    private void check(Invocation inv, Ast.Node n) throws ParseException {
        if (inv.has(":last") && Set.of("header", "address", "date").contains(inv.name()) && !inv.has(":index")) {
            throw err(n, "tag :last needs :index");
        }
        if (inv.name().equals("deleteheader") && inv.has(":last") && !inv.has(":index")) {
            throw err(n, "tag :last needs :index");
        }
        if (inv.has(":index") && inv.tagNumber(":index") < 1) {
            throw err(n, ":index must be 1 or more");
        }
        String comparator = inv.tagString(":comparator");
        if (comparator != null) {
            String c = comparator.toLowerCase(Locale.ROOT);
            if (!COMPARATORS.contains(c)) {
                throw err(n, "unknown comparator '" + comparator + "'");
            }
            if (c.equals("i;ascii-numeric")) {
                need("comparator-i;ascii-numeric", n, "comparator i;ascii-numeric");
                String mt = inv.which(":contains", ":matches", ":regex");
                if (mt != null) {
                    throw err(n, "comparator i;ascii-numeric does not support match type " + mt);
                }
            }
        }
        for (String rel : new String[] {":count", ":value"}) {
            String op = inv.tagString(rel);
            if (op != null && !op.contains("${") && !RELATIONS.contains(op.toLowerCase(Locale.ROOT))) {
                throw err(n, "invalid relational operator '" + op + "' for " + rel + " (gt, ge, lt, le, eq, ne)");
            }
        }
        if (inv.has(":regex")) {
            List<String> keys = keyList(inv);
            boolean casemap = comparator == null || !comparator.equalsIgnoreCase("i;octet");
            for (String k : keys) {
                if (!k.contains("${")) {
                    try {
                        Pattern.compile(k, casemap ? Pattern.CASE_INSENSITIVE : 0);
                    } catch (PatternSyntaxException e) {
                        throw err(n, "invalid regular expression '" + k + "': " + e.getDescription());
                    }
                }
            }
        }
        switch (inv.name()) {
            case "address" -> {
                for (String h : inv.list(0)) {
                    if (!h.contains("${") && !ADDRESS_HEADERS.contains(h.toLowerCase(Locale.ROOT))) {
                        throw err(n, "header '" + h + "' cannot be used with the address test (not an address header)");
                    }
                }
            }
            case "envelope" -> {
                for (String p : inv.list(0)) {
                    String lp = p.toLowerCase(Locale.ROOT);
                    if (!p.contains("${") && !lp.equals("from") && !lp.equals("to")) {
                        throw err(n, "unknown envelope part '" + p + "' (from, to)");
                    }
                }
            }
            case "date", "currentdate" -> {
                String part = inv.string(inv.name().equals("date") ? 1 : 0);
                if (!part.contains("${") && !DATE_PARTS.contains(part.toLowerCase(Locale.ROOT))) {
                    throw err(n, "unknown date part '" + part + "'");
                }
                String zone = inv.tagString(":zone");
                if (zone != null && !zone.contains("${") && !zone.matches("[+-]\\d{4}")) {
                    throw err(n, "invalid :zone '" + zone + "' (expected +hhmm or -hhmm)");
                }
            }
            case "redirect" -> {
                String to = inv.string(0);
                if (!to.contains("${") && io.mailfleet.core.address.MailAddress.tryParse(to).isEmpty()) {
                    throw err(n, "redirect: invalid address '" + to + "'");
                }
            }
            case "fileinto" -> {
                if (inv.string(0).isEmpty()) {
                    throw err(n, "fileinto: empty mailbox name");
                }
            }
            case "set" -> {
                if (!validVariableName(inv.string(0))) {
                    throw err(n, "invalid variable name '" + inv.string(0) + "'");
                }
            }
            case "global" -> {
                for (String v : inv.list(0)) {
                    if (!validVariableName(v)) {
                        throw err(n, "invalid variable name '" + v + "'");
                    }
                }
            }
            case "setflag", "addflag", "removeflag", "hasflag" -> {
                if (inv.positional().size() == 2) {
                    need("variables", n, "a variable name in " + inv.name());
                }
            }
            case "addheader", "deleteheader" -> {
                String h = inv.string(0);
                if (!h.contains("${") && !EditableHeaders.validName(h)) {
                    throw err(n, inv.name() + ": invalid header name '" + h + "'");
                }
                if (inv.name().equals("addheader") && inv.string(1).length() > 1024 * 8) {
                    throw err(n, "addheader: value too long");
                }
            }
            case "include" -> {
                String s = inv.string(0);
                if (s.isEmpty() || s.contains("/") || s.contains("\\") || s.startsWith(".")) {
                    throw err(n, "include: invalid script name '" + s + "'");
                }
            }
            case "vacation" -> {
                Long days = inv.tagNumber(":days");
                if (days != null && days < 1) {
                    throw err(n, "vacation :days must be 1 or more");
                }
                String from = inv.tagString(":from");
                if (from != null && !from.contains("${") && EditableHeaders.parseAddresses(from).isEmpty()) {
                    throw err(n, "vacation :from is not a valid address '" + from + "'");
                }
            }
            default -> {
            }
        }
    }

    private static List<String> keyList(Invocation inv) {
        Ast.Arg last = inv.positional().isEmpty() ? null : inv.positional().get(inv.positional().size() - 1);
        if (inv.name().equals("deleteheader")) {
            return inv.positional().size() == 2 ? inv.list(1) : List.of();
        }
        return last instanceof Ast.Strs s ? s.values() : List.of();
    }

    static boolean validVariableName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    }

    private Ast.Arg literal(Ast.Arg a) throws ParseException {
        if (a instanceof Ast.Strs s && required.contains("encoded-character")) {
            List<String> out = new ArrayList<>();
            for (String v : s.values()) {
                try {
                    out.add(EncodedCharacters.decode(v));
                } catch (IllegalArgumentException e) {
                    throw new ParseException(a.line(), a.column(), e.getMessage());
                }
            }
            return new Ast.Strs(List.copyOf(out), s.list(), s.line(), s.column());
        }
        return a;
    }

    private static boolean matches(List<Specs.T> shape, List<Ast.Arg> args) {
        for (int i = 0; i < shape.size(); i++) {
            if (!fits(args.get(i), shape.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(Ast.Arg a, Specs.T t) {
        return switch (t) {
            case NUM -> a instanceof Ast.Num;
            case LIST -> a instanceof Ast.Strs;
            case STR -> a instanceof Ast.Strs s && s.values().size() == 1 && !s.list();
        };
    }

    private static String describe(Specs.T t) {
        return switch (t) {
            case NUM -> "number";
            case LIST -> "string list";
            case STR -> "string";
        };
    }

    private static String expected(Specs.Spec spec) {
        List<String> alternatives = new ArrayList<>();
        for (List<Specs.T> shape : spec.positionals()) {
            if (shape.isEmpty()) {
                alternatives.add("no positional argument");
            } else {
                List<String> d = new ArrayList<>();
                for (Specs.T t : shape) {
                    d.add(describe(t));
                }
                alternatives.add(String.join(", ", d));
            }
        }
        return String.join(" or ", alternatives);
    }

    private static String tagsOfGroup(Specs.Spec spec, String group) {
        Set<String> names = new HashSet<>();
        for (Specs.TagSpec t : spec.tags().values()) {
            if (group.equals(t.group())) {
                names.add(t.name());
            }
        }
        return String.join(" or ", new java.util.TreeSet<>(names));
    }

    private void need(String ext, Ast.Node n, String what) throws ParseException {
        if (!required.contains(ext)) {
            throw err(n, "extension '" + ext + "' not required (" + what + " needs require \"" + ext + "\")");
        }
    }

    private void need(String ext, Ast.Arg a, String what) throws ParseException {
        if (!required.contains(ext)) {
            throw new ParseException(a.line(), a.column(), "extension '" + ext + "' not required (" + what
                    + " needs require \"" + ext + "\")");
        }
    }

    private ParseException err(Ast.Node n, String message) {
        return new ParseException(n.line(), n.column(), message);
    }

    @Override
    public String toString() {
        return "SieveCompiler[" + name + ", " + limits + "]";
    }
}
