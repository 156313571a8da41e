package io.mailfleet.protocols.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One FETCH attribute, parsed (RFC 3501 §6.4.5). */
public record FetchItem(String name, String part, Kind kind, List<String> fields, boolean peek, long partialStart,
                 long partialLength) {

    /** What a body section selects. */
    public enum Kind { NONE, ALL, HEADER, TEXT, MIME, FIELDS, FIELDS_NOT }

    public boolean isBody() {
        return kind != Kind.NONE;
    }

    /** The section as echoed in the response, e.g. {@code BODY[1.HEADER]<0>}. */
    public String responseName() {
        StringBuilder sb = new StringBuilder(name.equals("BODY") ? "BODY[" : name + "[");
        sb.append(part);
        String spec = switch (kind) {
            case ALL, NONE -> "";
            case HEADER -> "HEADER";
            case TEXT -> "TEXT";
            case MIME -> "MIME";
            case FIELDS -> "HEADER.FIELDS (" + String.join(" ", fields) + ")";
            case FIELDS_NOT -> "HEADER.FIELDS.NOT (" + String.join(" ", fields) + ")";
        };
        if (!part.isEmpty() && !spec.isEmpty()) {
            sb.append('.');
        }
        sb.append(spec).append(']');
        if (partialStart >= 0) {
            sb.append('<').append(partialStart).append('>');
        }
        return sb.toString();
    }

    public static FetchItem simple(String name) {
        return new FetchItem(name, "", Kind.NONE, List.of(), true, -1, -1);
    }

    /** Parses the attribute list of FETCH: a single attribute, a macro or a parenthesised list. */
    public static List<FetchItem> parseList(Args a) {
        List<FetchItem> out = new ArrayList<>();
        if (a.tryChar('(')) {
            while (true) {
                out.add(parse(a));
                if (a.tryChar(')')) {
                    break;
                }
                a.sp();
            }
            return out;
        }
        out.add(parse(a));
        return out;
    }

    public static FetchItem parse(Args a) {
        StringBuilder nb = new StringBuilder();
        while (true) {
            int c = a.peek();
            if (c >= 0 && (Character.isLetterOrDigit(c) || c == '.')) {
                nb.append((char) a.next());
            } else {
                break;
            }
        }
        String name = nb.toString().toUpperCase(Locale.ROOT);
        switch (name) {
            case "ALL", "FAST", "FULL", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "UID", "RFC822",
                 "RFC822.HEADER", "RFC822.TEXT", "BODYSTRUCTURE", "MODSEQ" -> {
                return simple(name);
            }
            case "BODY", "BODY.PEEK" -> {
                if (a.peek() != '[') {
                    if (name.equals("BODY")) {
                        return simple("BODY");
                    }
                    throw new ImapParseException("BODY.PEEK needs a section");
                }
                return section(a, name.equals("BODY.PEEK"));
            }
            case "BINARY", "BINARY.PEEK", "BINARY.SIZE" -> {
                return binary(a, name);
            }
            case "" -> throw new ImapParseException("expected a fetch attribute");
            default -> throw new ImapParseException("unknown fetch attribute " + name);
        }
    }

    private static FetchItem section(Args a, boolean peek) {
        a.expect('[');
        StringBuilder part = new StringBuilder();
        while (Character.isDigit(a.peek())) {
            while (Character.isDigit(a.peek())) {
                part.append(a.next());
            }
            if (a.peek() == '.') {
                a.next();
                if (Character.isDigit(a.peek())) {
                    part.append('.');
                } else {
                    break;
                }
            }
        }
        if (part.length() > 0 && (part.charAt(0) == '0' || part.toString().contains(".0"))) {
            throw new ImapParseException("invalid section part " + part);
        }
        Kind kind = Kind.ALL;
        List<String> fields = List.of();
        if (a.peek() != ']') {
            String spec = a.atom().toUpperCase(Locale.ROOT);
            switch (spec) {
                case "HEADER" -> kind = Kind.HEADER;
                case "TEXT" -> kind = Kind.TEXT;
                case "MIME" -> {
                    if (part.length() == 0) {
                        throw new ImapParseException("MIME needs a part number");
                    }
                    kind = Kind.MIME;
                }
                case "HEADER.FIELDS", "HEADER.FIELDS.NOT" -> {
                    kind = spec.endsWith(".NOT") ? Kind.FIELDS_NOT : Kind.FIELDS;
                    a.sp();
                    a.expect('(');
                    List<String> f = new ArrayList<>();
                    while (true) {
                        f.add(a.astring());
                        if (a.tryChar(')')) {
                            break;
                        }
                        a.sp();
                    }
                    fields = f;
                }
                default -> throw new ImapParseException("invalid section " + spec);
            }
        }
        a.expect(']');
        long start = -1;
        long len = -1;
        if (a.tryChar('<')) {
            start = a.number();
            a.expect('.');
            len = a.number();
            if (len == 0) {
                throw new ImapParseException("partial length must be positive");
            }
            a.expect('>');
        }
        return new FetchItem("BODY", part.toString(), kind, fields, peek, start, len);
    }

    /** BINARY[part]<partial>, BINARY.PEEK[part]<partial>, BINARY.SIZE[part] (RFC 3516). */
    private static FetchItem binary(Args a, String name) {
        a.expect('[');
        StringBuilder part = new StringBuilder();
        while (Character.isDigit(a.peek()) || a.peek() == '.') {
            part.append(a.next());
        }
        String p = part.toString();
        if (!p.isEmpty() && !p.matches("[1-9][0-9]*(\\.[1-9][0-9]*)*")) {
            throw new ImapParseException("invalid section part " + p);
        }
        a.expect(']');
        long start = -1;
        long len = -1;
        if (!name.equals("BINARY.SIZE") && a.tryChar('<')) {
            start = a.number();
            a.expect('.');
            len = a.number();
            if (len == 0) {
                throw new ImapParseException("partial length must be positive");
            }
            a.expect('>');
        }
        boolean size = name.equals("BINARY.SIZE");
        return new FetchItem(size ? "BINARY.SIZE" : "BINARY", p, Kind.ALL, List.of(), size || name.endsWith(".PEEK"),
                start, len);
    }

    /** Expands ALL, FAST and FULL. */
    public static List<FetchItem> expand(List<FetchItem> items) {
        List<FetchItem> out = new ArrayList<>();
        for (FetchItem i : items) {
            switch (i.name()) {
                case "ALL" -> out.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE"),
                        simple("ENVELOPE")));
                case "FAST" -> out.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE")));
                case "FULL" -> out.addAll(List.of(simple("FLAGS"), simple("INTERNALDATE"), simple("RFC822.SIZE"),
                        simple("ENVELOPE"), simple("BODY")));
                default -> out.add(i);
            }
        }
        return out;
    }
}
