package io.mailfleet.core.fetchmail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one of docker-mailserver's {@code getmail-<ID>.cf} files (getmail6's INI syntax) into the same
 * {@link FetchmailSource} records as {@code fetchmail.cf}, named {@code getmail-<ID>} ({@code /<mailbox>}
 * appended for a mailbox other than INBOX). {@code [retriever]} gives the remote account
 * ({@code Simple{POP3,IMAP}[SSL]Retriever}), {@code [destination]}'s {@code MDA_external} arguments
 * {@code ("-d", "user@domain")} the local account, {@code [options]} {@code delete} (mail is kept unless
 * it is true, as in docker-mailserver's {@code getmailrc_general}) and {@code read_all}. A file that
 * cannot be used is reported ({@code file:line} or {@code file:[section] key}) and gives no source.
 */
public final class GetmailConfigParser {

    private static final Set<String> RETRIEVER_IGNORED = Set.of("use_peek", "move_on_delete", "record_mailbox",
            "imap_on_delete", "imap_search", "timeout", "ssl_version", "ssl_ciphers", "ssl_hostname",
            "ca_certs", "ssl_ca_certs", "use_cram_md5", "delete_dup_msgids", "getmaildir");
    private static final Set<String> OPTIONS_IGNORED = Set.of("verbose", "max_messages_per_session", "received",
            "delivered_to", "message_log", "message_log_syslog", "message_log_verbose", "max_bytes_per_session",
            "max_message_size", "delete_bigger_than", "fingerprint", "to_oldmail_on_each_mail", "skip_imap_fetch_size");

    private GetmailConfigParser() {
    }

    /** The source name for the file named {@code fileName} ({@code getmail-<ID>.cf} gives {@code getmail-<ID>}). */
    public static String sourceName(String fileName) {
        String base = fileName.endsWith(".cf") ? fileName.substring(0, fileName.length() - 3) : fileName;
        return base.startsWith("getmail-") ? base : "getmail-" + base;
    }

    /**
     * Parses {@code text}; {@code file} names it in messages and {@code fileName} (its last path element)
     * gives the source its name. Never throws for bad content.
     */
    public static FetchmailConfig parse(String file, String fileName, String text) {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Map<String, Value>> sections = new LinkedHashMap<>();
        Map<String, Integer> sectionLines = new LinkedHashMap<>();
        if (!read(file, text, sections, sectionLines, problems)) {
            return new FetchmailConfig(List.of(), problems, notes);
        }
        try {
            List<FetchmailSource> sources = sources(file, sourceName(fileName), sections, sectionLines, notes);
            return new FetchmailConfig(sources, problems, notes);
        } catch (Bad e) {
            problems.add(e.getMessage() + "; file skipped");
            return new FetchmailConfig(List.of(), problems, notes);
        }
    }

    private record Value(String text, int line) {
    }

    /** Python configparser's syntax: sections, {@code key = value} or {@code key: value}, indented continuations. */
    private static boolean read(String file, String text, Map<String, Map<String, Value>> sections,
                                Map<String, Integer> sectionLines, List<String> problems) {
        String[] lines = text.split("\r?\n", -1);
        Map<String, Value> current = null;
        String lastKey = null;
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            int line = n + 1;
            String s = raw.strip();
            if (s.isEmpty() || s.startsWith("#") || s.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && current != null && lastKey != null) {
                Value v = current.get(lastKey);
                current.put(lastKey, new Value(v.text() + "\n" + s, v.line()));
                continue;
            }
            if (s.startsWith("[")) {
                if (!s.endsWith("]") || s.length() < 3) {
                    problems.add(file + ":" + line + ": '" + s + "' is not a [section] header; file skipped");
                    return false;
                }
                String name = s.substring(1, s.length() - 1).strip();
                if (sections.containsKey(name)) {
                    problems.add(file + ":" + line + ": section [" + name + "] appears twice; file skipped");
                    return false;
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                sectionLines.put(name, line);
                lastKey = null;
                continue;
            }
            int eq = indexOfSeparator(s);
            if (eq <= 0) {
                problems.add(file + ":" + line + ": expected 'key = value', found '" + s + "'; file skipped");
                return false;
            }
            if (current == null) {
                problems.add(file + ":" + line + ": '" + s.substring(0, eq).strip()
                        + "' is outside any [section]; file skipped");
                return false;
            }
            String key = s.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (current.containsKey(key)) {
                problems.add(file + ":" + line + ": '" + key + "' is set twice in its section; file skipped");
                return false;
            }
            current.put(key, new Value(s.substring(eq + 1).strip(), line));
            lastKey = key;
        }
        return true;
    }

    private static int indexOfSeparator(String s) {
        int eq = s.indexOf('=');
        int colon = s.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    private static List<FetchmailSource> sources(String file, String name, Map<String, Map<String, Value>> sections,
                                                 Map<String, Integer> sectionLines, List<String> notes) throws Bad {
        Map<String, Value> retriever = sections.get("retriever");
        Map<String, Value> destination = sections.get("destination");
        if (retriever == null) {
            throw new Bad(file + ": no [retriever] section");
        }
        if (destination == null) {
            throw new Bad(file + ": no [destination] section");
        }
        Map<String, Value> options = sections.getOrDefault("options", Map.of());
        for (String other : sections.keySet()) {
            if (!Set.of("retriever", "destination", "options").contains(other)) {
                notes.add(file + ":" + sectionLines.get(other) + ": section [" + other
                        + "] ignored (Mailfleet delivers through its own inbound checks and Sieve)");
            }
        }

        String type = required(file, "retriever", retriever, "type");
        FetchmailSource.Protocol protocol;
        boolean ssl;
        switch (type) {
            case "SimplePOP3Retriever" -> { protocol = FetchmailSource.Protocol.POP3; ssl = false; }
            case "SimplePOP3SSLRetriever" -> { protocol = FetchmailSource.Protocol.POP3; ssl = true; }
            case "SimpleIMAPRetriever" -> { protocol = FetchmailSource.Protocol.IMAP; ssl = false; }
            case "SimpleIMAPSSLRetriever" -> { protocol = FetchmailSource.Protocol.IMAP; ssl = true; }
            default -> throw bad(file, "retriever", "type", "'" + type + "' is not supported (SimplePOP3Retriever, "
                    + "SimplePOP3SSLRetriever, SimpleIMAPRetriever or SimpleIMAPSSLRetriever)");
        }
        String host = required(file, "retriever", retriever, "server");
        if (!host.matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            throw bad(file, "retriever", "server", "'" + host + "' is not a host name");
        }
        int port = protocol.defaultPort(ssl);
        if (retriever.containsKey("port")) {
            String p = retriever.get("port").text();
            if (!p.matches("\\d{1,5}") || Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) {
                throw bad(file, "retriever", "port", "must be 1..65535, got '" + p + "'");
            }
            port = Integer.parseInt(p);
        }
        String user = required(file, "retriever", retriever, "username");
        if (retriever.containsKey("password_command")) {
            throw bad(file, "retriever", "password_command", "is not supported: give the password in 'password'");
        }
        for (String oauth : List.of("use_xoauth2", "use_kerberos")) {
            if (retriever.containsKey(oauth) && bool(file, "retriever", oauth, retriever.get(oauth).text())) {
                throw bad(file, "retriever", oauth, "is not supported: Mailfleet logs in with the password");
            }
        }
        String password = required(file, "retriever", retriever, "password");
        boolean checkCertificate = true;
        List<String> mailboxes = List.of("INBOX");
        for (Map.Entry<String, Value> e : retriever.entrySet()) {
            String k = e.getKey();
            switch (k) {
                case "type", "server", "port", "username", "password", "use_xoauth2", "use_kerberos" -> {
                }
                case "mailboxes" -> {
                    if (protocol != FetchmailSource.Protocol.IMAP) {
                        throw bad(file, "retriever", k, "needs an IMAP retriever: POP3 has only the inbox");
                    }
                    if (e.getValue().text().equalsIgnoreCase("ALL")) {
                        throw bad(file, "retriever", k, "ALL is not supported: name the mailboxes, such as (\"INBOX\", \"Lists\")");
                    }
                    mailboxes = tuple(file, "retriever", k, e.getValue().text());
                    if (mailboxes.isEmpty()) {
                        throw bad(file, "retriever", k, "names no mailbox");
                    }
                }
                case "ssl_cert_reqs" -> checkCertificate = !e.getValue().text().equalsIgnoreCase("CERT_NONE");
                default -> notes.add(file + ":" + e.getValue().line() + ": [retriever] " + k
                        + (RETRIEVER_IGNORED.contains(k) ? " ignored" : " not understood, ignored"));
            }
        }

        String local = localRecipient(file, destination);
        for (Map.Entry<String, Value> e : destination.entrySet()) {
            if (!Set.of("type", "path", "arguments", "user", "group", "allow_root_commands", "ignore_stderr",
                    "unixfrom").contains(e.getKey())) {
                notes.add(file + ":" + e.getValue().line() + ": [destination] " + e.getKey() + " not understood, ignored");
            }
        }

        // docker-mailserver's getmailrc_general: read_all = false, delete = false
        boolean delete = false;
        for (Map.Entry<String, Value> e : options.entrySet()) {
            String k = e.getKey();
            switch (k) {
                case "delete" -> delete = bool(file, "options", k, e.getValue().text());
                case "read_all" -> {
                    if (bool(file, "options", k, e.getValue().text())) {
                        notes.add(file + ":" + e.getValue().line() + ": [options] read_all = true: each message is "
                                + "still delivered once, not again on every poll");
                    }
                }
                case "delete_after", "delete_bigger_than" -> notes.add(file + ":" + e.getValue().line() + ": [options] "
                        + k + " ignored: mail is " + (delete ? "deleted once fetched" : "kept on the remote"));
                default -> {
                    if (!OPTIONS_IGNORED.contains(k)) {
                        notes.add(file + ":" + e.getValue().line() + ": [options] " + k + " not understood, ignored");
                    }
                }
            }
        }

        String origin = file + ":" + sectionLines.get("retriever");
        List<FetchmailSource> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (String mailbox : mailboxes) {
            boolean inbox = mailbox.equalsIgnoreCase("INBOX");
            String sourceName = inbox ? name : name + "/" + mailbox;
            if (seen.contains(sourceName)) {
                throw bad(file, "retriever", "mailboxes", "names " + mailbox + " twice");
            }
            seen.add(sourceName);
            // getmail fetches every message it has not fetched before, read or not: fetchAll; an IMAP source
            // idles where the server offers it, as fetchmail.cf's do (getmail's rc files have no such option)
            out.add(new FetchmailSource(sourceName, host, protocol, port, user, password, local, ssl, !delete, true,
                    inbox ? null : mailbox, checkCertificate, true, origin));
        }
        return out;
    }

    private static String localRecipient(String file, Map<String, Value> destination) throws Bad {
        String type = required(file, "destination", destination, "type");
        if (!type.equals("MDA_external")) {
            throw bad(file, "destination", "type", "'" + type + "' is not supported: use MDA_external with "
                    + "arguments (\"-d\", \"user@domain\") as docker-mailserver's documentation shows");
        }
        Value args = destination.get("arguments");
        if (args == null) {
            throw new Bad(file + ":[destination] arguments: missing; give (\"-d\", \"user@domain\")");
        }
        List<String> a = tuple(file, "destination", "arguments", args.text());
        int d = a.indexOf("-d");
        if (d < 0 || d + 1 >= a.size()) {
            throw bad(file, "destination", "arguments", "has no \"-d\", \"user@domain\" naming the local account");
        }
        String local = a.get(d + 1);
        if (!local.matches("[^@\\s]+@[^@\\s]+")) {
            throw bad(file, "destination", "arguments", "the local account '" + local
                    + "' must be a full address (user@domain)");
        }
        return local.toLowerCase(Locale.ROOT);
    }

    private static String required(String file, String section, Map<String, Value> values, String key) throws Bad {
        Value v = values.get(key);
        if (v == null || v.text().isEmpty()) {
            throw new Bad(file + ":[" + section + "] " + key + ": missing");
        }
        return v.text();
    }

    private static boolean bool(String file, String section, String key, String value) throws Bad {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(file, section, key, "must be true or false, got '" + value + "'");
        };
    }

    /** A Python tuple of strings, such as {@code ("-d", "a@b")} or {@code ('INBOX',)}. */
    private static List<String> tuple(String file, String section, String key, String text) throws Bad {
        String s = text.replace('\n', ' ').strip();
        if (s.startsWith("(") && s.endsWith(")")) {
            s = s.substring(1, s.length() - 1);
        } else if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        } else {
            throw bad(file, section, key, "must be a list such as (\"a\", \"b\"), got '" + text + "'");
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c != '"' && c != '\'') {
                throw bad(file, section, key, "expected a quoted string at '" + s.substring(i) + "'");
            }
            StringBuilder b = new StringBuilder();
            i++;
            boolean closed = false;
            while (i < n) {
                char d = s.charAt(i);
                if (d == c) {
                    closed = true;
                    i++;
                    break;
                }
                if (d == '\\' && i + 1 < n) {
                    d = s.charAt(++i);
                }
                b.append(d);
                i++;
            }
            if (!closed) {
                throw bad(file, section, key, "unterminated quoted string");
            }
            out.add(b.toString());
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i < n) {
                if (s.charAt(i) != ',') {
                    throw bad(file, section, key, "expected ',' between the strings");
                }
                i++;
            }
        }
        return out;
    }

    private static Bad bad(String file, String section, String key, String why) {
        return new Bad(file + ":[" + section + "] " + key + ": " + why);
    }

    private static final class Bad extends Exception {
        Bad(String message) {
            super(message);
        }
    }
}
