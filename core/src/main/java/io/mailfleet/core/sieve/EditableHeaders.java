package io.mailfleet.core.sieve;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The message's header block as seen (and edited by editheader) during one run, plus header helpers. */
final class EditableHeaders {
    /** Never added or deleted by editheader (RFC 5293 §6: trace fields stay intact). */
    static final Set<String> PROTECTED = Set.of("received", "auto-submitted");
    private static final Pattern NAME = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]+");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");

    private final List<SieveMessage.Header> headers;
    private boolean edited;

    EditableHeaders(List<SieveMessage.Header> headers) {
        this.headers = new ArrayList<>(headers);
    }

    static boolean validName(String name) {
        return NAME.matcher(name).matches() && name.length() <= 997;
    }

    List<String> raw(String name) {
        List<String> out = new ArrayList<>();
        for (SieveMessage.Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                out.add(h.value());
            }
        }
        return out;
    }

    List<String> decoded(String name) {
        List<String> out = new ArrayList<>();
        for (String v : raw(name)) {
            out.add(decode(v));
        }
        return out;
    }

    void add(String name, String value, boolean last) {
        SieveMessage.Header h = new SieveMessage.Header(name, value);
        if (last) {
            headers.add(h);
        } else {
            headers.add(0, h);
        }
        edited = true;
    }

    /** Removes the occurrences (1-based among fields called {@code name}) listed in {@code which}. */
    void delete(String name, Set<Integer> which) {
        int n = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                n++;
                if (which.contains(n)) {
                    headers.remove(i--);
                    edited = true;
                }
            }
        }
    }

    boolean edited() {
        return edited;
    }

    List<SieveMessage.Header> all() {
        return List.copyOf(headers);
    }

    /** Unfolds and decodes RFC 2047 encoded words; undecodable text is kept as is. */
    static String decode(String value) {
        String unfolded = value.replaceAll("\r?\n[ \t]", " ").strip();
        if (!unfolded.contains("=?")) {
            return unfolded;
        }
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return unfolded;
        }
    }

    /** Addresses (local@domain, or the raw token when it has no '@') found in an address header value. */
    static List<String> parseAddresses(String value) {
        String v = value.replaceAll("\r?\n[ \t]", " ").strip();
        List<String> out = new ArrayList<>();
        if (v.isEmpty()) {
            return out;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(v, false)) {
                if (a.isGroup()) {
                    for (InternetAddress m : a.getGroup(false)) {
                        addAddress(out, m.getAddress());
                    }
                } else {
                    addAddress(out, a.getAddress());
                }
            }
            return out;
        } catch (AddressException | RuntimeException e) {
            Matcher m = BARE_ADDRESS.matcher(v);
            while (m.find()) {
                out.add(m.group());
            }
            return out;
        }
    }

    private static void addAddress(List<String> out, String a) {
        if (a != null && !a.isBlank()) {
            out.add(a.strip());
        }
    }

    static String localPart(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }
}
