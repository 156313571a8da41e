package io.mailfleet.core.fetchmail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code fetchmail.cf} syntax docker-mailserver's users write:
 * {@code poll <host> [proto|protocol pop3|imap] [port N] [user|username] "<u>" [there] with password|pass "<p>"
 * is "<local>" here [options] [ssl] [keep|no keep] [fetchall] [no idle] [folder "<f>"]}. An entry may span lines;
 * {@code #} starts a comment; {@code and with has wants options here there} and {@code , : ;} are noise as
 * in fetchmail. {@code set} lines and {@code defaults} are ignored with a note. A bad entry is reported
 * with its {@code file:line} and skipped; the others still work.
 */
public final class FetchmailConfigParser {

    /** fetchmail's noise words: allowed anywhere, meaning nothing. */
    private static final Set<String> NOISE = Set.of("and", "with", "has", "wants", "options", "here", "there");
    /** fetchmail options read and ignored (they tune fetchmail's own delivery), with their argument count. */
    private static final Map<String, Integer> IGNORED = Map.ofEntries(
            Map.entry("timeout", 1), Map.entry("fetchlimit", 1), Map.entry("limit", 1), Map.entry("batchlimit", 1),
            Map.entry("expunge", 1), Map.entry("sslproto", 1), Map.entry("sslfingerprint", 1),
            Map.entry("uidl", 0), Map.entry("stripcr", 0), Map.entry("rewrite", 0), Map.entry("dropstatus", 0),
            Map.entry("dropdelivered", 0), Map.entry("mimedecode", 0), Map.entry("flush", 0),
            Map.entry("limitflush", 0), Map.entry("forcecr", 0), Map.entry("pass8bits", 0), Map.entry("sslcertck", 0),
            Map.entry("fetchsizelimit", 1), Map.entry("fastuidl", 1), Map.entry("interval", 1),
            Map.entry("tracepolls", 0), Map.entry("nodns", 0), Map.entry("no-envelope", 0), Map.entry("envelope", 1));
    private static final Set<String> STATEMENTS = Set.of("poll", "skip", "server", "set", "defaults");

    private FetchmailConfigParser() {
    }

    /** Parses {@code text}; {@code file} names it in messages. Never throws for bad content. */
    public static FetchmailConfig parse(String file, String text) {
        List<Token> tokens = tokenize(text);
        List<FetchmailSource> sources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        while (i < tokens.size()) {
            Token start = tokens.get(i);
            if (start.error != null) {
                problems.add(file + ":" + start.line + ": " + start.error);
                i = nextStatement(tokens, i + 1);
                continue;
            }
            String word = start.quoted ? "" : start.text.toLowerCase(Locale.ROOT);
            int end = nextStatement(tokens, i + 1);
            switch (word) {
                case "set" -> {
                    // a set line is one line: "set daemon 300" and friends
                    int j = i + 1;
                    while (j < tokens.size() && tokens.get(j).line == start.line) {
                        j++;
                    }
                    notes.add(file + ":" + start.line + ": 'set' line ignored (FETCHMAIL_POLL sets the poll interval)");
                    end = j;
                }
                case "defaults" -> notes.add(file + ":" + start.line + ": 'defaults' entry ignored: give each poll entry its options");
                case "skip" -> notes.add(file + ":" + start.line + ": 'skip' entry not polled");
                case "poll", "server" -> {
                    try {
                        FetchmailSource s = entry(file, tokens.subList(i + 1, end), start.line);
                        if (!names.add(s.name())) {
                            problems.add(file + ":" + start.line + ": a second entry for " + s.name() + "; skipped");
                        } else {
                            sources.add(s);
                        }
                    } catch (Bad e) {
                        problems.add(file + ":" + e.line + ": " + e.getMessage() + "; entry skipped");
                    }
                }
                default -> {
                    problems.add(file + ":" + start.line + ": expected 'poll', 'set' or 'defaults', found '"
                            + start.text + "'; skipped to the next entry");
                    end = nextStatementAfter(tokens, i + 1);
                }
            }
            i = end;
        }
        return new FetchmailConfig(sources, problems, notes);
    }

    private static int nextStatement(List<Token> tokens, int from) {
        int j = from;
        while (j < tokens.size() && !isStatement(tokens.get(j))) {
            j++;
        }
        return j;
    }

    private static int nextStatementAfter(List<Token> tokens, int from) {
        return nextStatement(tokens, from);
    }

    private static boolean isStatement(Token t) {
        return !t.quoted && t.error == null && STATEMENTS.contains(t.text.toLowerCase(Locale.ROOT));
    }

    private static FetchmailSource entry(String file, List<Token> t, int line) throws Bad {
        if (t.isEmpty() || (!t.get(0).quoted && NOISE.contains(t.get(0).text.toLowerCase(Locale.ROOT)))) {
            throw new Bad(line, "'poll' needs the remote host name");
        }
        String host = t.get(0).text;
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            throw new Bad(t.get(0).line, "'" + host + "' is not a host name");
        }
        FetchmailSource.Protocol protocol = null;
        Integer port = null;
        String user = null;
        String password = null;
        String local = null;
        String folder = null;
        boolean ssl = false;
        boolean keep = false;
        boolean fetchAll = false;
        boolean certificate = true;
        boolean idle = true;
        for (int i = 1; i < t.size(); i++) {
            Token k = t.get(i);
            if (k.error != null) {
                throw new Bad(k.line, k.error);
            }
            String w = k.quoted ? "\0" : k.text.toLowerCase(Locale.ROOT);
            if (NOISE.contains(w)) {
                continue;
            }
            switch (w) {
                case "proto", "protocol" -> {
                    String p = arg(t, ++i, k).toLowerCase(Locale.ROOT);
                    protocol = switch (p) {
                        case "pop3" -> FetchmailSource.Protocol.POP3;
                        case "imap" -> FetchmailSource.Protocol.IMAP;
                        default -> throw new Bad(k.line, "protocol '" + p + "' is not supported (pop3 or imap)");
                    };
                }
                case "port", "service" -> {
                    String p = arg(t, ++i, k);
                    if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                        throw new Bad(k.line, "port must be 1..65535, got '" + p + "'");
                    }
                    port = Integer.parseInt(p);
                }
                case "user", "username" -> user = arg(t, ++i, k);
                case "pass", "password" -> password = arg(t, ++i, k);
                case "is", "to" -> {
                    local = arg(t, ++i, k);
                    if (i + 1 < t.size() && t.get(i + 1).quoted) {
                        throw new Bad(k.line, "more than one local name after 'is' (multidrop) is not supported");
                    }
                }
                case "folder", "folders" -> folder = arg(t, ++i, k);
                case "ssl" -> ssl = true;
                case "keep" -> keep = true;
                case "nokeep" -> keep = false;
                case "fetchall" -> fetchAll = true;
                case "idle" -> idle = true;
                case "no" -> {
                    String n = arg(t, ++i, k).toLowerCase(Locale.ROOT);
                    switch (n) {
                        case "keep" -> keep = false;
                        case "fetchall" -> fetchAll = false;
                        case "ssl" -> ssl = false;
                        case "sslcertck" -> certificate = false;
                        case "idle" -> idle = false;
                        default -> {
                            if (!IGNORED.containsKey(n) || IGNORED.get(n) != 0) {
                                throw new Bad(k.line, "'no " + n + "' is not understood");
                            }
                        }
                    }
                }
                case "mda", "smtphost", "smtpname", "preconnect", "postconnect", "plugin", "bsmtp", "lmtp" ->
                        throw new Bad(k.line, "'" + k.text + "' is not supported: Mailfleet delivers fetched mail itself");
                default -> {
                    Integer args = k.quoted ? null : IGNORED.get(w);
                    if (args == null) {
                        throw new Bad(k.line, "'" + k.text + "' is not understood");
                    }
                    i += args;
                    if (i >= t.size()) {
                        throw new Bad(k.line, "'" + k.text + "' needs a value");
                    }
                }
            }
        }
        if (protocol == null) {
            throw new Bad(line, "'proto pop3' or 'proto imap' is required");
        }
        if (user == null) {
            throw new Bad(line, "'user \"<name>\"' is required");
        }
        if (password == null) {
            throw new Bad(line, "'pass \"<password>\"' is required");
        }
        if (local == null) {
            throw new Bad(line, "'is \"<local address>\"' is required");
        }
        if (!local.matches("[^@\\s]+@[^@\\s]+")) {
            throw new Bad(line, "the local name '" + local + "' must be a full address (user@domain)");
        }
        if (folder != null && protocol == FetchmailSource.Protocol.POP3) {
            throw new Bad(line, "'folder' needs IMAP: POP3 has only the inbox");
        }
        String name = user + "@" + host + (folder == null ? "" : "/" + folder);
        return new FetchmailSource(name, host, protocol, port == null ? protocol.defaultPort(ssl) : port, user, password,
                local.toLowerCase(Locale.ROOT), ssl, keep, fetchAll, folder, certificate, idle, file + ":" + line);
    }

    private static String arg(List<Token> t, int i, Token keyword) throws Bad {
        if (i < t.size() && t.get(i).error != null) {
            throw new Bad(t.get(i).line, t.get(i).error);
        }
        if (i >= t.size()) {
            throw new Bad(keyword.line, "'" + keyword.text + "' needs a value");
        }
        return t.get(i).text;
    }

    private static List<Token> tokenize(String text) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (Character.isWhitespace(c) || c == ',' || c == ':' || c == ';') {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                int startLine = line;
                StringBuilder b = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = text.charAt(i);
                    if (d == c) {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\n') {
                        break; // a string never spans lines: report it here, not at the end of the file
                    }
                    if (d == '\\' && c == '"' && i + 1 < n && text.charAt(i + 1) != '\n') {
                        d = text.charAt(++i);
                    }
                    b.append(d);
                    i++;
                }
                out.add(closed ? new Token(b.toString(), true, startLine, null)
                        : new Token(b.toString(), true, startLine, "unterminated quoted string"));
            } else {
                int s = i;
                while (i < n && !Character.isWhitespace(text.charAt(i)) && ",;#\"'".indexOf(text.charAt(i)) < 0) {
                    i++;
                }
                String w = text.substring(s, i);
                // "host:" style trailing colons are noise; a colon inside (IPv6) stays
                while (w.endsWith(":")) {
                    w = w.substring(0, w.length() - 1);
                }
                if (!w.isEmpty()) {
                    out.add(new Token(w, false, line, null));
                }
            }
        }
        return out;
    }

    private record Token(String text, boolean quoted, int line, String error) {
    }

    private static final class Bad extends Exception {
        final int line;

        Bad(int line, String message) {
            super(message);
            this.line = line;
        }
    }
}
