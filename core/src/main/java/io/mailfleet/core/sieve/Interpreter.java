package io.mailfleet.core.sieve;

import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Runs one top-level script (and what it includes) against a message, adding actions to the run state. */
final class Interpreter {
    private static final Set<String> LIST_HEADERS = Set.of("list-id", "list-help", "list-subscribe",
            "list-unsubscribe", "list-post", "list-owner", "list-archive");
    private static final Set<String> ROBOT_LOCALPARTS = Set.of("mailer-daemon", "listserv", "majordomo",
            "postmaster", "noreply", "no-reply");
    private static final Pattern VAR_REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+)}");

    /** Ends the whole run (stop). */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    /** Ends the current included script (return). */
    private static final class Return extends RuntimeException {
        Return() {
            super(null, null, false, false);
        }
    }

    private final class Frame {
        final CompiledScript script;
        final Map<String, String> vars = new HashMap<>();
        final Set<String> globalNames = new HashSet<>();
        List<String> matchVars = List.of();

        Frame(CompiledScript script) {
            this.script = script;
        }

        boolean variables() {
            return script.extensions().contains("variables");
        }
    }

    private final RunState run;
    private final Map<String, String> globals = new HashMap<>();
    private final Set<String> includedOnce = new HashSet<>();
    private final List<String> includeStack = new ArrayList<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private boolean implicitKeep = true;
    private boolean explicitKeep;
    private boolean vacationDone;

    Interpreter(RunState run) {
        this.run = run;
    }

    /** Runs {@code script}; returns true when the message is still kept (implicit or explicit keep). */
    boolean run(CompiledScript script) {
        Frame f = new Frame(script);
        includeStack.add("personal:" + script.name());
        try {
            exec(f, script.commands());
        } catch (Stop | Return e) {
            // stop ends the script; return at top level behaves like stop (RFC 6609 §3.3)
        }
        checkConflicts();
        return implicitKeep || explicitKeep;
    }

    boolean implicitKeep() {
        return implicitKeep;
    }

    Set<String> flags() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(flags));
    }

    private void exec(Frame f, List<Invocation> commands) {
        boolean taken = false;
        for (Invocation c : commands) {
            run.budget.step(c.line());
            switch (c.name()) {
                case "require" -> {
                }
                case "if" -> {
                    taken = test(f, c.tests().get(0));
                    if (taken) {
                        exec(f, c.block());
                    }
                }
                case "elsif" -> {
                    if (!taken) {
                        taken = test(f, c.tests().get(0));
                        if (taken) {
                            exec(f, c.block());
                        }
                    }
                }
                case "else" -> {
                    if (!taken) {
                        exec(f, c.block());
                    }
                }
                case "stop" -> throw new Stop();
                case "return" -> throw new Return();
                default -> command(f, c);
            }
        }
    }

    private void command(Frame f, Invocation c) {
        int line = c.line();
        switch (c.name()) {
            case "keep" -> {
                run.add(new SieveAction.Keep(actionFlags(f, c)), line);
                explicitKeep = true;
                implicitKeep = false;
            }
            case "discard" -> {
                run.add(new SieveAction.Discard(), line);
                implicitKeep = false;
            }
            case "fileinto" -> {
                String folder = expand(f, c.string(0));
                if (folder.isEmpty()) {
                    throw new SieveRuntimeException(line, "fileinto: empty mailbox name");
                }
                String specialUse = c.has(":specialuse") ? expand(f, c.tagString(":specialuse")) : null;
                run.add(new SieveAction.FileInto(folder, actionFlags(f, c), c.has(":create"), specialUse,
                        c.has(":copy")), line);
                if (!c.has(":copy")) {
                    implicitKeep = false;
                }
            }
            case "redirect" -> {
                String to = expand(f, c.string(0)).strip();
                if (io.mailfleet.core.address.MailAddress.tryParse(to).isEmpty()) {
                    throw new SieveRuntimeException(line, "redirect: invalid address '" + to + "'");
                }
                if (++run.redirects > run.limits.maxRedirects()) {
                    throw new SieveRuntimeException(line, "too many redirects (limit " + run.limits.maxRedirects()
                            + ")");
                }
                run.add(new SieveAction.Redirect(to, c.has(":copy")), line);
                if (!c.has(":copy")) {
                    implicitKeep = false;
                }
            }
            case "reject", "ereject" -> {
                run.add(new SieveAction.Reject(expand(f, c.string(0)), c.name().equals("ereject")), line);
                implicitKeep = false;
            }
            case "vacation" -> vacation(f, c);
            case "set" -> set(f, c);
            case "setflag", "addflag", "removeflag" -> flagCommand(f, c);
            case "addheader" -> addHeader(f, c);
            case "deleteheader" -> deleteHeader(f, c);
            case "include" -> include(f, c);
            case "global" -> {
                for (String v : c.list(0)) {
                    f.globalNames.add(v.toLowerCase(Locale.ROOT));
                }
            }
            default -> throw new SieveRuntimeException(line, "unsupported command '" + c.name() + "'");
        }
    }

    private void checkConflicts() {
        long rejects = run.actions.stream().filter(a -> a instanceof SieveAction.Reject).count();
        if (rejects == 0) {
            return;
        }
        if (rejects > 1) {
            throw new SieveRuntimeException(0, "more than one reject action");
        }
        for (SieveAction a : run.actions) {
            if (a instanceof SieveAction.Keep || a instanceof SieveAction.FileInto
                    || a instanceof SieveAction.Vacation) {
                throw new SieveRuntimeException(0, "reject conflicts with " + kind(a) + " (RFC 5429 §2.1)");
            }
        }
    }

    private static String kind(SieveAction a) {
        return a.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    // ---- tests ----

    private boolean test(Frame f, Invocation t) {
        run.budget.step(t.line());
        return switch (t.name()) {
            case "true" -> true;
            case "false" -> false;
            case "not" -> !test(f, t.tests().get(0));
            case "allof" -> {
                for (Invocation x : t.tests()) {
                    if (!test(f, x)) {
                        yield false;
                    }
                }
                yield true;
            }
            case "anyof" -> {
                for (Invocation x : t.tests()) {
                    if (test(f, x)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "size" -> t.has(":over") ? run.message.size() > t.number(0) : run.message.size() < t.number(0);
            case "exists" -> {
                for (String h : expandAll(f, t.list(0))) {
                    if (run.headers.raw(h).isEmpty()) {
                        yield false;
                    }
                }
                yield true;
            }
            case "header" -> {
                List<String> values = new ArrayList<>();
                for (String h : expandAll(f, t.list(0))) {
                    values.addAll(indexed(t, run.headers.decoded(h)));
                }
                yield match(f, t, values, t.list(1));
            }
            case "address" -> {
                List<String> values = new ArrayList<>();
                for (String h : expandAll(f, t.list(0))) {
                    for (String raw : indexed(t, run.headers.raw(h))) {
                        for (String a : EditableHeaders.parseAddresses(raw)) {
                            addressPart(t, a).ifPresent(values::add);
                        }
                    }
                }
                yield match(f, t, values, t.list(1));
            }
            case "envelope" -> {
                List<String> values = new ArrayList<>();
                for (String part : expandAll(f, t.list(0))) {
                    String a = part.equalsIgnoreCase("from") ? run.message.envelopeFrom()
                            : part.equalsIgnoreCase("to") ? run.message.envelopeTo() : null;
                    if (a == null) {
                        continue;
                    }
                    if (a.isEmpty()) {
                        values.add("");
                    } else {
                        addressPart(t, a).ifPresent(values::add);
                    }
                }
                yield match(f, t, values, t.list(1));
            }
            case "body" -> match(f, t, bodyValues(f, t), t.list(0));
            case "string" -> {
                List<String> values = new ArrayList<>();
                for (String s : expandAll(f, t.list(0))) {
                    if (!(s.isEmpty() && ":count".equals(matchType(t)))) {
                        values.add(s);
                    }
                }
                yield match(f, t, values, t.list(1));
            }
            case "date" -> {
                List<String> values = new ArrayList<>();
                String part = expand(f, t.string(1));
                for (String v : indexed(t, run.headers.raw(expand(f, t.string(0))))) {
                    DateParts.parseHeaderDate(v).ifPresent(d -> {
                        String zone = t.has(":zone") ? expand(f, t.tagString(":zone")) : null;
                        var z = t.has(":originalzone") ? d : zone != null ? DateParts.inZone(d, zone, t.line())
                                : d.withZoneSameInstant(run.env.zone());
                        values.add(DateParts.part(z, part, t.line()));
                    });
                }
                yield match(f, t, values, t.list(2));
            }
            case "currentdate" -> {
                var now = java.time.ZonedDateTime.now(run.env.clock());
                String zone = t.has(":zone") ? expand(f, t.tagString(":zone")) : null;
                var z = zone != null ? DateParts.inZone(now, zone, t.line()) : now.withZoneSameInstant(run.env.zone());
                yield match(f, t, List.of(DateParts.part(z, expand(f, t.string(0)), t.line())), t.list(1));
            }
            case "hasflag" -> {
                Set<String> have = new LinkedHashSet<>();
                if (t.positional().size() == 2) {
                    for (String v : expandAll(f, t.list(0))) {
                        have.addAll(parseFlags(List.of(getVar(f, v))));
                    }
                } else {
                    have.addAll(flags);
                }
                List<String> keys = t.positional().size() == 2 ? t.list(1) : t.list(0);
                if (":count".equals(matchType(t))) {
                    yield match(f, t, new ArrayList<>(have), keys);
                }
                List<String> split = new ArrayList<>(parseFlags(expandAll(f, keys)));
                yield Matching.match(matchType(t), relation(f, t), t.tagString(":comparator"), new ArrayList<>(have),
                        split, run.budget, t.line()).matched();
            }
            case "mailboxexists" -> {
                for (String m : expandAll(f, t.list(0))) {
                    if (!run.env.mailboxes().exists(m)) {
                        yield false;
                    }
                }
                yield true;
            }
            case "duplicate" -> duplicate(f, t);
            default -> throw new SieveRuntimeException(t.line(), "unsupported test '" + t.name() + "'");
        };
    }

    private boolean match(Frame f, Invocation t, List<String> values, List<String> keys) {
        Matching.Outcome o = Matching.match(matchType(t), relation(f, t), comparator(f, t), values,
                expandAll(f, keys), run.budget, t.line());
        if (o.matched() && o.groups() != null) {
            f.matchVars = o.groups();
        }
        return o.matched();
    }

    private static String matchType(Invocation t) {
        return t.which(":is", ":contains", ":matches", ":regex", ":count", ":value");
    }

    private String relation(Frame f, Invocation t) {
        String r = t.has(":count") ? t.tagString(":count") : t.tagString(":value");
        return r == null ? null : expand(f, r);
    }

    private String comparator(Frame f, Invocation t) {
        String c = t.tagString(":comparator");
        return c == null ? null : expand(f, c);
    }

    private List<String> indexed(Invocation t, List<String> values) {
        Long index = t.tagNumber(":index");
        if (index == null) {
            return values;
        }
        int i = (int) Math.min(index, Integer.MAX_VALUE);
        if (i > values.size()) {
            return List.of();
        }
        return List.of(t.has(":last") ? values.get(values.size() - i) : values.get(i - 1));
    }

    private Optional<String> addressPart(Invocation t, String address) {
        String part = t.which(":localpart", ":domain", ":user", ":detail");
        if (part == null) {
            return Optional.of(address);
        }
        String local = EditableHeaders.localPart(address);
        int plus = local.indexOf('+');
        return switch (part) {
            case ":localpart" -> Optional.of(local);
            case ":domain" -> Optional.of(EditableHeaders.domain(address));
            case ":user" -> Optional.of(plus < 0 ? local : local.substring(0, plus));
            default -> plus < 0 ? Optional.empty() : Optional.of(local.substring(plus + 1));
        };
    }

    private List<String> bodyValues(Frame f, Invocation t) {
        if (t.has(":raw")) {
            return List.of(run.message.rawBody());
        }
        List<String> out = new ArrayList<>();
        List<String> types = t.has(":content") ? expandAll(f, t.tagList(":content")) : null;
        for (SieveMessage.Part p : run.message.parts()) {
            run.budget.step(t.line());
            if (types == null) {
                if (p.contentType().startsWith("text/")) {
                    out.add(p.contentType().equals("text/html") ? stripHtml(p.text()) : p.text());
                }
            } else {
                for (String type : types) {
                    String ty = type.toLowerCase(Locale.ROOT);
                    if (ty.isEmpty() || (ty.contains("/") ? p.contentType().equals(ty)
                            : p.contentType().startsWith(ty + "/"))) {
                        out.add(p.text());
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static String stripHtml(String html) {
        return html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", " ").replaceAll("<[^>]*>", " ")
                .replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private boolean duplicate(Frame f, Invocation t) {
        String id;
        if (t.has(":uniqueid")) {
            id = expand(f, t.tagString(":uniqueid"));
        } else {
            String header = t.has(":header") ? expand(f, t.tagString(":header")) : "Message-ID";
            List<String> values = run.headers.raw(header);
            if (values.isEmpty()) {
                return false;
            }
            id = EditableHeaders.decode(values.get(0));
        }
        String handle = t.has(":handle") ? expand(f, t.tagString(":handle")) : "";
        Long seconds = t.tagNumber(":seconds");
        Duration period = seconds == null ? run.env.duplicatePeriod() : Duration.ofSeconds(seconds);
        boolean seen = run.env.duplicateLog().seen(handle, id);
        if (!seen || t.has(":last")) {
            run.tracks.add(new RunState.PendingTrack(handle, id, period, t.has(":last")));
        }
        return seen;
    }

    // ---- actions needing more work ----

    private void vacation(Frame f, Invocation c) {
        int line = c.line();
        if (vacationDone) {
            throw new SieveRuntimeException(line, "more than one vacation action");
        }
        vacationDone = true;
        if (run.actions.stream().anyMatch(a -> a instanceof SieveAction.Vacation)) {
            return;
        }
        String sender = run.message.envelopeFrom();
        if (sender.isEmpty()) {
            return;
        }
        String senderLocal = EditableHeaders.localPart(sender).toLowerCase(Locale.ROOT);
        if (ROBOT_LOCALPARTS.contains(senderLocal) || senderLocal.startsWith("owner-")
                || senderLocal.endsWith("-request")) {
            return;
        }
        for (String v : run.headers.decoded("Auto-Submitted")) {
            if (!v.strip().toLowerCase(Locale.ROOT).startsWith("no")) {
                return;
            }
        }
        for (String v : run.headers.decoded("Precedence")) {
            String p = v.strip().toLowerCase(Locale.ROOT);
            if (p.equals("bulk") || p.equals("list") || p.equals("junk")) {
                return;
            }
        }
        for (SieveMessage.Header h : run.headers.all()) {
            if (LIST_HEADERS.contains(h.name().toLowerCase(Locale.ROOT))) {
                return;
            }
        }
        Set<String> own = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        own.addAll(run.env.ownAddresses());
        own.add(run.message.envelopeTo());
        own.add(run.message.originalEnvelopeTo());
        if (c.has(":addresses")) {
            own.addAll(expandAll(f, c.tagList(":addresses")));
        }
        String from = c.has(":from") ? expand(f, c.tagString(":from")) : null;
        if (from != null) {
            own.addAll(EditableHeaders.parseAddresses(from));
        }
        if (own.contains(sender)) {
            return;
        }
        boolean addressed = false;
        for (String h : List.of("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc")) {
            for (String raw : run.headers.raw(h)) {
                for (String a : EditableHeaders.parseAddresses(raw)) {
                    addressed |= own.contains(a);
                }
            }
        }
        if (!addressed) {
            return;
        }
        String reason = expand(f, c.string(0));
        String subject = c.has(":subject") ? expand(f, c.tagString(":subject")) : null;
        Duration period;
        if (c.has(":seconds")) {
            period = Duration.ofSeconds(c.tagNumber(":seconds"));
        } else {
            long days = c.has(":days") ? c.tagNumber(":days") : 7;
            period = Duration.ofDays(Math.max(1, Math.min(days, 60)));
        }
        String handle = c.has(":handle") ? expand(f, c.tagString(":handle"))
                : defaultHandle(reason, subject, from, c.has(":mime"));
        if (!run.env.vacationLog().shouldRespond(handle, sender, period)) {
            return;
        }
        if (subject == null) {
            List<String> original = run.headers.decoded("Subject");
            subject = original.isEmpty() || original.get(0).isBlank() ? "Automated reply"
                    : "Auto: " + original.get(0);
        }
        String replyFrom = from != null ? from : run.message.envelopeTo();
        List<String> ids = run.headers.raw("Message-ID");
        String messageId = ids.isEmpty() ? null : ids.get(0).strip();
        List<String> refs = run.headers.raw("References");
        String references = messageId == null ? null
                : (refs.isEmpty() ? "" : EditableHeaders.decode(refs.get(0)) + " ") + messageId;
        run.add(new SieveAction.Vacation(sender, replyFrom, subject, reason, c.has(":mime"), handle, period,
                messageId, references), line);
    }

    private static String defaultHandle(String reason, String subject, String from, boolean mime) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((reason + "\0" + subject + "\0" + from + "\0" + mime).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private void set(Frame f, Invocation c) {
        String value = expand(f, c.string(1));
        if (c.has(":lower")) {
            value = value.toLowerCase(Locale.ROOT);
        } else if (c.has(":upper")) {
            value = value.toUpperCase(Locale.ROOT);
        }
        if (!value.isEmpty() && c.has(":lowerfirst")) {
            value = value.substring(0, 1).toLowerCase(Locale.ROOT) + value.substring(1);
        } else if (!value.isEmpty() && c.has(":upperfirst")) {
            value = value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1);
        }
        if (c.has(":quotewildcard")) {
            value = value.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?");
        } else if (c.has(":quoteregex")) {
            value = value.replaceAll("([\\\\^$.|?*+()\\[\\]{}])", "\\\\$1");
        }
        if (c.has(":length")) {
            value = Integer.toString(value.codePointCount(0, value.length()));
        }
        setVar(f, c.string(0), value);
    }

    private void flagCommand(Frame f, Invocation c) {
        List<String> given = expandAll(f, c.positional().size() == 2 ? c.list(1) : c.list(0));
        Set<String> target = new LinkedHashSet<>();
        String variable = c.positional().size() == 2 ? expand(f, c.string(0)) : null;
        if (variable != null) {
            if (!SieveCompiler.validVariableName(variable)) {
                throw new SieveRuntimeException(c.line(), "invalid variable name '" + variable + "'");
            }
            target.addAll(parseFlags(List.of(getVar(f, variable))));
        } else {
            target.addAll(flags);
        }
        Set<String> changes = parseFlags(given);
        switch (c.name()) {
            case "setflag" -> {
                target.clear();
                target.addAll(changes);
            }
            case "addflag" -> {
                for (String fl : changes) {
                    if (target.stream().noneMatch(x -> x.equalsIgnoreCase(fl))) {
                        target.add(fl);
                    }
                }
            }
            default -> target.removeIf(x -> changes.stream().anyMatch(x::equalsIgnoreCase));
        }
        if (variable != null) {
            setVar(f, variable, String.join(" ", target));
        } else {
            flags.clear();
            flags.addAll(target);
        }
    }

    private Set<String> actionFlags(Frame f, Invocation c) {
        if (c.has(":flags")) {
            return Collections.unmodifiableSet(parseFlags(expandAll(f, c.tagList(":flags"))));
        }
        return flags();
    }

    private static Set<String> parseFlags(List<String> strings) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : strings) {
            for (String fl : s.strip().split("\\s+")) {
                if (!fl.isEmpty() && out.stream().noneMatch(x -> x.equalsIgnoreCase(fl))) {
                    out.add(fl);
                }
            }
        }
        return out;
    }

    private void addHeader(Frame f, Invocation c) {
        String name = expand(f, c.string(0));
        if (!EditableHeaders.validName(name)) {
            throw new SieveRuntimeException(c.line(), "addheader: invalid header name '" + name + "'");
        }
        if (EditableHeaders.PROTECTED.contains(name.toLowerCase(Locale.ROOT))) {
            return;
        }
        String value = expand(f, c.string(1)).replaceAll("\r?\n(?![ \t])", "\r\n ");
        if (!value.chars().allMatch(ch -> ch < 128)) {
            try {
                value = MimeUtility.encodeText(value, "UTF-8", null);
            } catch (UnsupportedEncodingException e) {
                throw new IllegalStateException("UTF-8 missing from the JDK", e);
            }
        }
        boolean last = c.has(":last");
        run.headers.add(name, value, last);
        run.add(new SieveAction.AddHeader(name, value, last), c.line());
    }

    private void deleteHeader(Frame f, Invocation c) {
        String name = expand(f, c.string(0));
        if (!EditableHeaders.validName(name)) {
            throw new SieveRuntimeException(c.line(), "deleteheader: invalid header name '" + name + "'");
        }
        if (EditableHeaders.PROTECTED.contains(name.toLowerCase(Locale.ROOT))) {
            return;
        }
        List<String> values = run.headers.decoded(name);
        List<Integer> candidates = new ArrayList<>();
        Long index = c.tagNumber(":index");
        if (index != null) {
            long i = c.has(":last") ? values.size() - index + 1 : index;
            if (i >= 1 && i <= values.size()) {
                candidates.add((int) i);
            }
        } else {
            for (int i = 1; i <= values.size(); i++) {
                candidates.add(i);
            }
        }
        List<Integer> doomed = new ArrayList<>();
        for (int i : candidates) {
            if (c.positional().size() < 2 || match(f, c, List.of(values.get(i - 1)), c.list(1))) {
                doomed.add(i);
            }
        }
        if (!doomed.isEmpty()) {
            run.headers.delete(name, new HashSet<>(doomed));
            run.add(new SieveAction.DeleteHeader(name, List.copyOf(doomed)), c.line());
        }
    }

    private void include(Frame f, Invocation c) {
        ScriptResolver.Location location = c.has(":global") ? ScriptResolver.Location.GLOBAL
                : ScriptResolver.Location.PERSONAL;
        String name = c.string(0);
        String key = location.name().toLowerCase(Locale.ROOT) + ":" + name;
        if (includeStack.contains(key)) {
            throw new SieveRuntimeException(c.line(), "include: recursive include of '" + name + "'");
        }
        if (c.has(":once") && includedOnce.contains(key)) {
            return;
        }
        if (includeStack.size() > run.limits.maxIncludeDepth()) {
            throw new SieveRuntimeException(c.line(), "include: nesting deeper than " + run.limits.maxIncludeDepth());
        }
        if (++run.includes > run.limits.maxIncludes()) {
            throw new SieveRuntimeException(c.line(), "include: more than " + run.limits.maxIncludes() + " includes");
        }
        Optional<CompiledScript> script;
        try {
            script = run.env.scripts().resolve(location, name);
        } catch (ParseException e) {
            throw new SieveRuntimeException(c.line(), "include: script '" + name + "' does not compile: "
                    + e.getMessage());
        }
        if (script.isEmpty()) {
            if (c.has(":optional")) {
                return;
            }
            throw new SieveRuntimeException(c.line(), "include: script '" + name + "' not found ("
                    + location.name().toLowerCase(Locale.ROOT) + ")");
        }
        includedOnce.add(key);
        includeStack.add(key);
        try {
            exec(new Frame(script.get()), script.get().commands());
        } catch (Return r) {
            // return ends only the included script
        } finally {
            includeStack.remove(includeStack.size() - 1);
        }
    }

    // ---- variables ----

    private String getVar(Frame f, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("global.")) {
            return globals.getOrDefault(n.substring(7), "");
        }
        if (f.globalNames.contains(n)) {
            return globals.getOrDefault(n, "");
        }
        return f.vars.getOrDefault(n, "");
    }

    private void setVar(Frame f, String name, String value) {
        String v = value.length() > run.limits.maxVariableSize() ? value.substring(0, run.limits.maxVariableSize())
                : value;
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("global.")) {
            globals.put(n.substring(7), v);
        } else if (f.globalNames.contains(n)) {
            globals.put(n, v);
        } else {
            f.vars.put(n, v);
        }
    }

    private List<String> expandAll(Frame f, List<String> strings) {
        if (!f.variables()) {
            return strings;
        }
        List<String> out = new ArrayList<>(strings.size());
        for (String s : strings) {
            out.add(expand(f, s));
        }
        return out;
    }

    private String expand(Frame f, String s) {
        if (!f.variables() || !s.contains("${")) {
            return s;
        }
        var m = VAR_REF.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            String value;
            if (Character.isDigit(ref.charAt(0))) {
                int i = ref.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(ref);
                value = i < f.matchVars.size() ? f.matchVars.get(i) : "";
            } else {
                value = getVar(f, ref);
            }
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(value));
            if (sb.length() > run.limits.maxVariableSize() * 4L) {
                throw new SieveRuntimeException(0, "string expansion too large");
            }
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
