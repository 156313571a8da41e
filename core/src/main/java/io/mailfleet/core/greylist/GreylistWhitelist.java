package io.mailfleet.core.greylist;

import io.mailfleet.core.ban.IpNetwork;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Postgrey's whitelist files as docker-mailserver mounts them: {@code whitelist_clients.local} (client
 * addresses: {@code 192.0.2.7}, {@code 192.0.2.0/24}, {@code 2001:db8::/48}, or Postgrey's octet
 * prefix {@code 192.0.2}) and {@code whitelist_recipients} ({@code postmaster@} any domain,
 * {@code user@example.com}, {@code example.com} and its subdomains, or {@code /regex/}). Host-name
 * entries of the client file need a reverse lookup Mailfleet does not make; they are reported and skipped.
 */
public final class GreylistWhitelist {

    /** Nothing whitelisted. */
    public static final GreylistWhitelist NONE = new GreylistWhitelist(List.of(), List.of(), List.of());

    private final List<IpNetwork> clients;
    private final List<Pattern> recipients;
    private final List<String> skipped;

    private GreylistWhitelist(List<IpNetwork> clients, List<Pattern> recipients, List<String> skipped) {
        this.clients = List.copyOf(clients);
        this.recipients = List.copyOf(recipients);
        this.skipped = List.copyOf(skipped);
    }

    /** Reads the two files from {@code dir} (absent files whitelist nothing). */
    public static GreylistWhitelist load(Path dir) throws IOException {
        return parse(read(dir.resolve("whitelist_clients.local")), read(dir.resolve("whitelist_recipients")));
    }

    private static List<String> read(Path file) throws IOException {
        return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /**
     * Parses the lines of the two files.
     *
     * @throws IllegalArgumentException naming the line when a regular expression does not compile
     */
    public static GreylistWhitelist parse(List<String> clientLines, List<String> recipientLines) {
        List<IpNetwork> clients = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String raw : clientLines) {
            String line = strip(raw);
            if (line.isEmpty()) {
                continue;
            }
            IpNetwork n = clientNetwork(line);
            if (n == null) {
                skipped.add(line);
            } else {
                clients.add(n);
            }
        }
        List<Pattern> recipients = new ArrayList<>();
        for (String raw : recipientLines) {
            String line = strip(raw).toLowerCase(Locale.ROOT);
            if (!line.isEmpty()) {
                recipients.add(recipientPattern(line));
            }
        }
        return new GreylistWhitelist(clients, recipients, skipped);
    }

    private static String strip(String raw) {
        int hash = raw.indexOf('#');
        return (hash < 0 ? raw : raw.substring(0, hash)).trim();
    }

    private static IpNetwork clientNetwork(String line) {
        String s = line;
        // Postgrey's "192.0.2" style: a prefix of whole octets.
        if (s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){0,2}\\.?")) {
            String[] octets = s.replaceAll("\\.$", "").split("\\.");
            StringBuilder b = new StringBuilder(s.replaceAll("\\.$", ""));
            for (int i = octets.length; i < 4; i++) {
                b.append(".0");
            }
            s = b + "/" + (octets.length * 8);
        }
        try {
            return IpNetwork.parse(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Pattern recipientPattern(String line) {
        if (line.length() > 2 && line.startsWith("/") && line.endsWith("/")) {
            try {
                return Pattern.compile(line.substring(1, line.length() - 1), Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("whitelist_recipients: '" + line + "' is not a valid regular expression");
            }
        }
        if (line.endsWith("@")) {
            return Pattern.compile(Pattern.quote(line) + ".*");
        }
        if (line.contains("@")) {
            return Pattern.compile(Pattern.quote(line));
        }
        return Pattern.compile("(.*@|.*@.*\\.)" + Pattern.quote(line));
    }

    /** Whether {@code client} is in the client whitelist. */
    public boolean client(InetAddress client) {
        for (IpNetwork n : clients) {
            if (n.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code recipient} (an address) is in the recipient whitelist. */
    public boolean recipient(String recipient) {
        String r = recipient.toLowerCase(Locale.ROOT);
        for (Pattern p : recipients) {
            if (p.matcher(r).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Client-file entries that are not addresses (host names), which this whitelist cannot match. */
    public List<String> skippedClientEntries() {
        return skipped;
    }
}
