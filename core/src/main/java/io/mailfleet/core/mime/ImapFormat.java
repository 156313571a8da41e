package io.mailfleet.core.mime;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders ENVELOPE, BODY and BODYSTRUCTURE as IMAP strings (RFC 3501 §7.4.2, RFC 9051), byte for
 * byte as Dovecot does: type, subtype, encoding and parameter values as written in the message,
 * parameter names lower-cased, ("charset" "us-ascii") for a text part without parameters,
 * "text" "plain" / "7bit" defaults in lower case, languages always as a list, header values raw
 * (encoded words not decoded). A string with CR, LF, NUL, non-ASCII characters or over 1000
 * characters becomes a literal {n}CRLF whose n counts UTF-8 octets: write the result as UTF-8.
 */
public final class ImapFormat {

    /** What Dovecot writes for a multipart without any part, which IMAP's grammar forbids. */
    static final String EMPTY_BODY = "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 0 0)";
    private static final int MAX_QUOTED = 1000;

    private ImapFormat() {
    }

    /** The parenthesised ENVELOPE. */
    public static String envelope(Envelope e) {
        StringBuilder sb = new StringBuilder(256);
        appendEnvelope(sb, e);
        return sb.toString();
    }

    /** The parenthesised BODY (no extension data). */
    public static String body(BodyPart p) {
        StringBuilder sb = new StringBuilder(256);
        appendPart(sb, p, false);
        return sb.toString();
    }

    /** The parenthesised BODYSTRUCTURE with extension data. */
    public static String bodyStructure(BodyPart p) {
        StringBuilder sb = new StringBuilder(256);
        appendPart(sb, p, true);
        return sb.toString();
    }

    /** An IMAP nstring: NIL, a quoted string, or a literal. */
    public static String nstring(String s) {
        StringBuilder sb = new StringBuilder();
        appendNString(sb, s);
        return sb.toString();
    }

    private static void appendEnvelope(StringBuilder sb, Envelope e) {
        sb.append('(');
        appendNString(sb, e.date());
        sb.append(' ');
        appendNString(sb, e.subject());
        for (List<Address> list : List.of(e.from(), e.sender(), e.replyTo(), e.to(), e.cc(), e.bcc())) {
            sb.append(' ');
            appendAddresses(sb, list);
        }
        sb.append(' ');
        appendNString(sb, e.inReplyTo());
        sb.append(' ');
        appendNString(sb, e.messageId());
        sb.append(')');
    }

    private static void appendAddresses(StringBuilder sb, List<Address> list) {
        if (list.isEmpty()) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        for (Address a : list) {
            sb.append('(');
            appendNString(sb, a.name());
            sb.append(' ');
            appendNString(sb, a.adl());
            sb.append(' ');
            appendNString(sb, a.mailbox());
            sb.append(' ');
            appendNString(sb, a.host());
            sb.append(')');
        }
        sb.append(')');
    }

    private static void appendPart(StringBuilder sb, BodyPart p, boolean extended) {
        if (p.isMultipart()) {
            sb.append('(');
            if (p.parts().isEmpty()) {
                sb.append(EMPTY_BODY);
            }
            for (BodyPart c : p.parts()) {
                appendPart(sb, c, extended);
            }
            sb.append(' ');
            appendNString(sb, p.subtype());
            if (extended) {
                sb.append(' ');
                appendParams(sb, p.params());
                appendCommonExtension(sb, p);
            }
            sb.append(')');
            return;
        }
        sb.append('(');
        appendNString(sb, p.type());
        sb.append(' ');
        appendNString(sb, p.subtype());
        sb.append(' ');
        if (p.params().isEmpty() && p.isText()) {
            sb.append("(\"charset\" \"us-ascii\")");
        } else {
            appendParams(sb, p.params());
        }
        sb.append(' ');
        appendNString(sb, p.id());
        sb.append(' ');
        appendNString(sb, p.description());
        sb.append(' ');
        appendNString(sb, p.encoding() == null ? "7bit" : p.encoding());
        sb.append(' ').append(p.size());
        if (p.isMessage()) {
            sb.append(' ');
            appendEnvelope(sb, p.envelope());
            sb.append(' ');
            appendPart(sb, p.message(), extended);
            sb.append(' ').append(p.lines());
        } else if (p.isText()) {
            sb.append(' ').append(p.lines());
        }
        if (extended) {
            sb.append(' ');
            appendNString(sb, p.md5());
            appendCommonExtension(sb, p);
        }
        sb.append(')');
    }

    private static void appendCommonExtension(StringBuilder sb, BodyPart p) {
        sb.append(' ');
        Disposition d = p.disposition();
        if (d == null) {
            sb.append("NIL");
        } else {
            sb.append('(');
            appendNString(sb, d.type());
            sb.append(' ');
            appendParams(sb, d.params());
            sb.append(')');
        }
        sb.append(' ');
        if (p.language().isEmpty()) {
            sb.append("NIL");
        } else {
            sb.append('(');
            for (int k = 0; k < p.language().size(); k++) {
                if (k > 0) {
                    sb.append(' ');
                }
                appendNString(sb, p.language().get(k));
            }
            sb.append(')');
        }
        sb.append(' ');
        appendNString(sb, p.location());
    }

    private static void appendParams(StringBuilder sb, List<Param> params) {
        if (params.isEmpty()) {
            sb.append("NIL");
            return;
        }
        sb.append('(');
        for (int k = 0; k < params.size(); k++) {
            if (k > 0) {
                sb.append(' ');
            }
            appendNString(sb, params.get(k).name());
            sb.append(' ');
            appendNString(sb, params.get(k).value());
        }
        sb.append(')');
    }

    private static void appendNString(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("NIL");
            return;
        }
        boolean literal = s.length() > MAX_QUOTED;
        for (int k = 0; k < s.length() && !literal; k++) {
            char c = s.charAt(k);
            literal = c == '\r' || c == '\n' || c == 0 || c >= 0x80;
        }
        if (literal) {
            sb.append('{').append(s.getBytes(StandardCharsets.UTF_8).length).append("}\r\n").append(s);
            return;
        }
        sb.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
