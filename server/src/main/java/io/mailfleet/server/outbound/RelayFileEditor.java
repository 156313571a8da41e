package io.mailfleet.server.outbound;

import io.mailfleet.core.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes docker-mailserver's relay files, {@code postfix-relaymap.cf} and {@code postfix-sasl-password.cf},
 * in the directory {@link RelayFiles} reads them from: the code behind {@code ./mailfleet relay} and the web
 * UI's relay page, with one set of checks and messages. A line for the domain is replaced, otherwise one is
 * appended (docker-mailserver's {@code sed "s|^@DOMAIN.*|...|"}); files are replaced atomically, and the
 * node picks them up when their modification time changes.
 */
public final class RelayFileEditor {

    private static final String DOMAIN = "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+";

    /** A refused value, worded as the CLI words it; {@link #showUsage()} says whether the CLI adds its usage. */
    public static final class Refused extends IllegalArgumentException {
        private final boolean showUsage;

        Refused(String message, boolean showUsage) {
            super(message);
            this.showUsage = showUsage;
        }

        public boolean showUsage() {
            return showUsage;
        }
    }

    /** What a change wrote: the file and the sentence that says what it means for mail. */
    public record Written(Path file, String meaning) {
    }

    private final Path dir;

    /** {@code dir}: {@link RelayFiles#configDir}, the docker-mailserver config directory or {@code <data-dir>/config}. */
    public RelayFileEditor(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A sender domain as typed (an {@code @} in front is allowed), lower-cased. */
    public static String domain(String raw) {
        String d = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("@")) {
            d = d.substring(1);
        }
        if (d.isEmpty()) {
            throw new Refused("No domain specified", true);
        }
        if (!d.matches(DOMAIN)) {
            throw new Refused("Invalid domain '" + raw + "': expected a domain name such as example.com", true);
        }
        return d;
    }

    /** A relay host name or IP address, without the brackets it may be typed with. */
    public static String host(String raw) {
        String host = raw == null ? "" : raw.strip();
        if (host.isEmpty()) {
            throw new Refused("No relay host specified", true);
        }
        if (!host.matches("[A-Za-z0-9._-]+|\\[[A-Za-z0-9._:-]+]")) {
            throw new Refused("Invalid relay host '" + host + "': expected a host name or IP address", true);
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** A port, 25 when blank. */
    public static int port(String raw) {
        String port = raw == null || raw.isBlank() ? "25" : raw.strip();
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new Refused("Port must be a number (1-65535), not '" + port + "'", true);
        }
        return Integer.parseInt(port);
    }

    /** A relay login name. */
    public static String user(String raw) {
        String user = raw == null ? "" : raw.strip();
        if (user.isEmpty()) {
            throw new Refused("No username specified", true);
        }
        if (user.contains(":") || user.matches(".*\\s.*")) {
            throw new Refused("Invalid username '" + user + "': it must not contain ':' or spaces", true);
        }
        return user;
    }

    /** A relay password, taken as it is (spaces included). */
    public static String password(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new Refused("No password specified", true);
        }
        if (raw.contains("\n") || raw.contains("\r")) {
            throw new Refused("The password must not contain a line break", false);
        }
        return raw;
    }

    /** {@code setup relay add-domain}: mail from {@code domain} goes through {@code host}:{@code port}. */
    public synchronized Written addDomain(String domain, String host, String port) {
        String d = domain(domain);
        String h = host(host);
        int p = port(port);
        Path file = rewrite(RelayFiles.RELAY_MAP, "@" + d, "@" + d + "\t\t[" + h + "]:" + p);
        return new Written(file, "mail from '" + d + "' is relayed through [" + h + "]:" + p);
    }

    /** {@code setup relay add-auth}: the login for the relay of {@code domain}. */
    public synchronized Written addAuth(String domain, String user, String password) {
        return addLogin("@" + domain(domain), user, password);
    }

    /**
     * The key of a login in {@code postfix-sasl-password.cf}: {@code @domain} for a sender domain (as typed, with
     * or without the {@code @}), or a relay as {@code [host]:port} (the login used for every message through that
     * relay, {@code DEFAULT_RELAY_HOST}'s for instance, when the sender domain has none).
     */
    public static String credentialKey(String raw) {
        String k = raw == null ? "" : raw.strip();
        if (!k.startsWith("[")) {
            return "@" + domain(k);
        }
        int close = k.indexOf("]:");
        if (close < 0) {
            throw new Refused("Invalid relay '" + k + "': expected [host]:port", false);
        }
        return "[" + host(k.substring(1, close)) + "]:" + port(k.substring(close + 2));
    }

    /** The login for the sender domain or relay of {@link #credentialKey}. */
    public synchronized Written addLogin(String key, String user, String password) {
        String k = credentialKey(key);
        String u = user(user);
        String pw = password(password);
        Path file = rewrite(RelayFiles.SASL_PASSWORDS, k, k + "\t\t" + u + ":" + pw);
        return new Written(file, "relay credentials for '" + display(k) + "' saved as user '" + u + "'");
    }

    /** {@code setup relay exclude-domain}: mail from {@code domain} does not use {@code RELAY_HOST}. */
    public synchronized Written excludeDomain(String domain) {
        String d = domain(domain);
        Path file = rewrite(RelayFiles.RELAY_MAP, "@" + d, "@" + d);
        return new Written(file, "mail from '" + d + "' is delivered directly, not through RELAY_HOST");
    }

    /** Removes the relay (or exclusion) line of {@code domain}: its mail follows RELAY_HOST or DEFAULT_RELAY_HOST again. */
    public synchronized Written removeDomain(String domain) {
        String d = domain(domain);
        Path file = remove(RelayFiles.RELAY_MAP, "@" + d);
        return new Written(file, "mail from '" + d + "' no longer has its own relay entry");
    }

    /** Removes the relay login of a sender domain or relay ({@link #credentialKey}). */
    public synchronized Written removeLogin(String key) {
        String k = credentialKey(key);
        Path file = remove(RelayFiles.SASL_PASSWORDS, k);
        return new Written(file, "relay credentials for '" + display(k) + "' removed");
    }

    private static String display(String key) {
        return key.startsWith("@") ? key.substring(1) : key;
    }

    private Path remove(String name, String key) {
        Path file = dir.resolve(name);
        try {
            if (!Files.exists(file) || Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .noneMatch(l -> key(l).equalsIgnoreCase(key))) {
                throw new Refused("'" + display(key) + "' has no entry in " + file, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return rewrite(name, key, null);
    }

    /** Replaces the lines of {@code key} ({@code @domain} or {@code [host]:port}) with {@code line} (none when null), or appends it. */
    private Path rewrite(String name, String key, String line) {
        Path file = dir.resolve(name);
        try {
            PrivateFiles.createDirectories(dir);
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            List<String> updated = new ArrayList<>();
            boolean replaced = false;
            for (String l : lines) {
                if (key(l).equalsIgnoreCase(key)) {
                    if (!replaced && line != null) {
                        updated.add(line);
                    }
                    replaced = true;
                } else {
                    updated.add(l);
                }
            }
            if (!replaced && line != null) {
                updated.add(line);
            }
            PrivateFiles.writeAtomically(file, updated.stream().map(l -> l + "\n").collect(Collectors.joining()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String key(String line) {
        return line.strip().split("\\s+", 2)[0];
    }
}
