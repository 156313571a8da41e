package io.mailfleet.server.web;

import java.util.Collection;
import java.util.function.Function;

/**
 * The web UI's one way to write markup: {@link #of} fills a template's {@code {}} holes and escapes
 * every value that is not already {@link Html}, so a value can only reach the page as text. There is
 * no other public constructor: markup comes from literal templates in this package or from
 * {@link #join}/{@link #each} of such markup.
 */
public final class Html {

    private static final Html EMPTY = new Html("");

    private final String markup;

    private Html(String markup) {
        this.markup = markup;
    }

    /**
     * {@code template} (literal markup written in this package) with each {@code {}} replaced by the next
     * argument: an {@link Html} as it is, anything else as escaped text ({@code null} as nothing).
     *
     * @throws IllegalArgumentException when the holes and arguments do not match in number
     */
    public static Html of(String template, Object... args) {
        StringBuilder b = new StringBuilder(template.length() + 64);
        int from = 0;
        int arg = 0;
        while (true) {
            int hole = template.indexOf("{}", from);
            if (hole < 0) {
                break;
            }
            if (arg >= args.length) {
                throw new IllegalArgumentException("more holes than arguments in: " + template);
            }
            b.append(template, from, hole);
            Object v = args[arg++];
            if (v instanceof Html h) {
                b.append(h.markup);
            } else if (v != null) {
                b.append(escape(v.toString()));
            }
            from = hole + 2;
        }
        if (arg != args.length) {
            throw new IllegalArgumentException("more arguments than holes in: " + template);
        }
        b.append(template, from, template.length());
        return new Html(b.toString());
    }

    /** Nothing. */
    public static Html empty() {
        return EMPTY;
    }

    /** The parts one after the other. */
    public static Html join(Html... parts) {
        StringBuilder b = new StringBuilder();
        for (Html p : parts) {
            b.append(p.markup);
        }
        return new Html(b.toString());
    }

    /** {@code render} applied to every item, one after the other. */
    public static <T> Html each(Collection<T> items, Function<T, Html> render) {
        StringBuilder b = new StringBuilder();
        for (T item : items) {
            b.append(render.apply(item).markup);
        }
        return new Html(b.toString());
    }

    /**
     * Text safe in element content and in quoted attribute values: {@code & < > " '} become character
     * references, and control characters other than tab, CR and LF (never valid in HTML) become U+FFFD.
     */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return markup;
    }
}
