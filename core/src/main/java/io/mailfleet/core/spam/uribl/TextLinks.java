package io.mailfleet.core.spam.uribl;

import java.util.Locale;

/**
 * Finds the hosts in running text in one linear pass: links with a scheme ({@code http://},
 * {@code https://}, {@code ftp://}, and the defanged {@code hxxp://}, {@code h**p://}), {@code www.}
 * names, e-mail addresses and bare domains with a known public suffix, including the obfuscations
 * spammers use to slip past naive matching ({@code evil[.]com}, {@code evil(dot)com}, backslashes for
 * slashes, {@code user@host} authorities, upper case, a trailing dot). The text is cut into words at
 * white space; a word longer than {@link #MAX_WORD} characters is read in its first ones only, so a
 * hostile megabyte without a space costs no more than one ordinary word.
 */
final class TextLinks {

    static final int MAX_WORD = 4096;

    private TextLinks() {
    }

    /** Reads {@code text} into {@code out} until it is full. */
    static void scan(CharSequence text, LinkCollector out) {
        int n = text.length();
        int i = 0;
        while (i < n && !out.full()) {
            while (i < n && separator(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !separator(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                word(text.subSequence(start, Math.min(i, start + MAX_WORD)).toString(), out, LinkCollector.Kind.BARE);
            }
        }
    }

    private static boolean separator(char c) {
        return c <= ' ' || c == '<' || c == '>' || c == '"' || c == '`' || c == '\u00a0' || c == '\u3000';
    }

    /**
     * One word: every scheme link in it; else a {@code www.} name, an e-mail domain or a bare domain.
     * {@code plain} is the kind a bare name counts as ({@link LinkCollector.Kind#LINK} for an
     * {@code href} value, which a click visits whatever it looks like).
     */
    static void word(String raw, LinkCollector out, LinkCollector.Kind plain) {
        String w = deobfuscated(raw.toLowerCase(Locale.ROOT));
        boolean linked = false;
        int from = 0;
        int sep;
        while ((sep = w.indexOf("://", from)) >= 0) {
            int s = sep;
            while (s > 0 && s > sep - 8 && w.charAt(s - 1) >= 'a' && w.charAt(s - 1) <= 'z') {
                s--;
            }
            int hostEnd = authorityEnd(w, sep + 3);
            if (scheme(w.substring(s, sep))) {
                out.add(HostNames.normalize(host(w.substring(sep + 3, hostEnd)), true), LinkCollector.Kind.LINK);
                linked = true;
            }
            from = Math.max(hostEnd, sep + 3);
        }
        if (linked) {
            return;
        }
        if (w.startsWith("//")) { // a protocol-relative href
            out.add(HostNames.normalize(host(w.substring(2, authorityEnd(w, 2))), true), LinkCollector.Kind.LINK);
            return;
        }
        int at = w.indexOf('@');
        if (at >= 0) {
            if (out.emails() && at > 0 && localPart(w.charAt(at - 1))) {
                out.add(HostNames.normalize(trimmed(w.substring(at + 1, authorityEnd(w, at + 1))), false),
                        LinkCollector.Kind.EMAIL);
            }
            return;
        }
        int b = 0;
        while (b < w.length() && "([{'*_,;:".indexOf(w.charAt(b)) >= 0) {
            b++;
        }
        String name = trimmed(w.substring(b, authorityEnd(w, b)));
        int colon = name.indexOf(':');
        if (colon >= 0) {
            name = name.substring(0, colon);
        }
        boolean www = name.startsWith("www.");
        out.add(HostNames.normalize(name, www || plain == LinkCollector.Kind.LINK),
                www ? LinkCollector.Kind.LINK : plain);
    }

    /** The letters before {@code ://} end in a scheme a reader clicks ({@code clickhttp://} is a link too). */
    private static boolean scheme(String letters) {
        return letters.endsWith("http") || letters.endsWith("https") || letters.endsWith("ftp") || letters.endsWith("ftps");
    }

    /** Where the authority that starts at {@code from} ends: at a path, query or fragment. */
    private static int authorityEnd(String w, int from) {
        for (int i = from; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return i;
            }
        }
        return w.length();
    }

    /** The host of an authority: without user information, port or the punctuation a sentence adds. */
    private static String host(String authority) {
        String a = authority;
        int at = a.lastIndexOf('@');
        if (at >= 0) {
            a = a.substring(at + 1);
        }
        if (a.startsWith("[")) {
            return null; // an IPv6 literal: URL block lists take none
        }
        a = trimmed(a);
        int colon = a.indexOf(':');
        return colon >= 0 ? a.substring(0, colon) : a;
    }

    /** Without trailing sentence punctuation and closing brackets ({@code evil.com).} reads {@code evil.com}). */
    private static String trimmed(String s) {
        int end = s.length();
        while (end > 0 && ".,;:!?)]}'*_|".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean localPart(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "._%+-=".indexOf(c) >= 0;
    }

    /** The defanged and bracketed forms written back as what a reader would type. */
    static String deobfuscated(String w) {
        String s = w.replace('\\', '/');
        if (s.indexOf('[') >= 0 || s.indexOf('(') >= 0 || s.indexOf('{') >= 0) {
            s = s.replace("[.]", ".").replace("(.)", ".").replace("{.}", ".").replace("[dot]", ".")
                    .replace("(dot)", ".").replace("[:]", ":").replace("[://]", "://");
        }
        if (s.indexOf("xxp") >= 0 || s.indexOf("**p") >= 0) {
            s = s.replace("hxxp", "http").replace("h**p", "http");
        }
        return s;
    }
}
