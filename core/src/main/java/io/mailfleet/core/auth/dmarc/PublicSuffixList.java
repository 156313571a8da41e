package io.mailfleet.core.auth.dmarc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (publicsuffix.org, MPL 2.0; the copy Debian's {@code publicsuffix} package ships,
 * bundled as a resource) and the organizational domain of RFC 7489 section 3.2 it defines.
 */
public final class PublicSuffixList {

    private static final String RESOURCE = "public_suffix_list.dat";

    private final Set<String> rules = new HashSet<>();
    private final Set<String> wildcards = new HashSet<>();
    private final Set<String> exceptions = new HashSet<>();

    private PublicSuffixList() {
    }

    /** The bundled list. */
    public static PublicSuffixList bundled() {
        try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list in the publicsuffix.org file format. */
    public static PublicSuffixList read(InputStream in) throws IOException {
        PublicSuffixList psl = new PublicSuffixList();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            String rule = line.strip();
            if (rule.isEmpty() || rule.startsWith("//")) {
                continue;
            }
            rule = rule.split("\\s+", 2)[0];
            try {
                if (rule.startsWith("!")) {
                    psl.exceptions.add(ascii(rule.substring(1)));
                } else if (rule.startsWith("*.")) {
                    psl.wildcards.add(ascii(rule.substring(2)));
                } else {
                    psl.rules.add(ascii(rule));
                }
            } catch (IllegalArgumentException e) {
                // a rule IDN cannot express in ASCII matches no DNS name
            }
        }
        return psl;
    }

    private static String ascii(String name) {
        return IDN.toASCII(name, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /** The public suffix of {@code domain} (lower-case ASCII, no trailing dot); the last label when no rule matches. */
    public String publicSuffix(String domain) {
        String d = normalize(domain);
        String[] labels = d.split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            if (exceptions.contains(suffix)) {
                return String.join(".", java.util.Arrays.copyOfRange(labels, i + 1, labels.length));
            }
            if (rules.contains(suffix)) {
                return suffix;
            }
            if (i + 1 < labels.length
                    && wildcards.contains(String.join(".", java.util.Arrays.copyOfRange(labels, i + 1, labels.length)))) {
                return suffix;
            }
        }
        return labels[labels.length - 1];
    }

    /**
     * Whether a rule of the list covers {@code domain}'s suffix (false for a made-up top-level domain
     * such as {@code .invalid} or {@code .exe}, which {@link #publicSuffix} answers with its last label).
     */
    public boolean knownSuffix(String domain) {
        String d = normalize(domain);
        String[] labels = d.split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            if (exceptions.contains(suffix) || rules.contains(suffix) || wildcards.contains(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 7489's organizational domain: the public suffix and one label more (the domain itself when it is a suffix). */
    public String organizationalDomain(String domain) {
        String d = normalize(domain);
        String suffix = publicSuffix(d);
        if (d.equals(suffix)) {
            return d;
        }
        String rest = d.substring(0, d.length() - suffix.length() - 1);
        int dot = rest.lastIndexOf('.');
        return (dot < 0 ? rest : rest.substring(dot + 1)) + "." + suffix;
    }

    private static String normalize(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
