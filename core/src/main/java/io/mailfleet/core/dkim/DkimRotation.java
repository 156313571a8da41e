package io.mailfleet.core.dkim;

import io.mailfleet.core.files.PrivateFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DKIM key rotation in the OpenDKIM directory (docker-mailserver layout). Which key signs a domain is
 * decided by {@code SigningTable} (its first {@code *@<domain>} line), as in OpenDKIM. A rotation adds the
 * new key to {@code KeyTable} and {@code keys/<domain>/} with a {@code <selector>.pending} marker but
 * without a SigningTable line, so its record can be published while the old key keeps signing;
 * {@link #confirm} points SigningTable at it and marks the key it replaced {@code <old>.superseded} (with the
 * time of the switch, from which its retirement is counted); {@link #retire} removes an old key once its
 * record may go. Every change is a file change, so every node reading the directory follows it.
 */
public final class DkimRotation {

    private static final String PENDING = ".pending";
    private static final String SUPERSEDED = ".superseded";
    private static final String STARTED = "rotation started ";
    private static final String SUPERSEDED_BY = "superseded by ";

    /** A key that signed until a rotation switched to {@code by} at {@code at}; it waits for retirement. */
    public record Superseded(String domain, String selector, String by, Instant at) {
    }

    private DkimRotation() {
    }

    /** The selector that signs {@code domain}'s mail: SigningTable's, else the first KeyTable key not pending. */
    public static Optional<String> signingSelector(Path dir, String domain) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        List<String[]> keyTable = keyTable(dir);
        for (String line : lines(dir.resolve("SigningTable"))) {
            String[] cols = line.split("\\s+", 2);
            if (cols.length == 2 && patternIsDomain(cols[0], d)) {
                return Optional.of(selectorOf(cols[1].strip(), keyTable));
            }
        }
        for (String[] k : keyTable) {
            if (k[1].equals(d) && !isPending(dir, d, k[2])) {
                return Optional.of(k[2]);
            }
        }
        return Optional.empty();
    }

    /** The selector of a started, not yet confirmed rotation of {@code domain}. */
    public static Optional<String> pendingSelector(Path dir, String domain) throws IOException {
        Path keys = dir.resolve("keys").resolve(domain.toLowerCase(Locale.ROOT));
        if (!Files.isDirectory(keys)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keys, "*" + PENDING)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                return Optional.of(name.substring(0, name.length() - PENDING.length()));
            }
        }
        return Optional.empty();
    }

    /**
     * When the pending rotation of {@code domain} to {@code selector} started: the time its marker holds,
     * else the marker's modification time (a marker written by hand).
     */
    public static Optional<Instant> startedAt(Path dir, String domain, String selector) throws IOException {
        return markerTime(dir.resolve("keys").resolve(domain.toLowerCase(Locale.ROOT)).resolve(selector + PENDING),
                STARTED).map(Map.Entry::getValue);
    }

    /** The keys of {@code domain} that a rotation replaced and that are not retired yet, oldest switch first. */
    public static List<Superseded> superseded(Path dir, String domain) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        Path keys = dir.resolve("keys").resolve(d);
        List<Superseded> out = new ArrayList<>();
        if (!Files.isDirectory(keys)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(keys, "*" + SUPERSEDED)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                String selector = name.substring(0, name.length() - SUPERSEDED.length());
                Optional<Map.Entry<String, Instant>> m = markerTime(f, SUPERSEDED_BY);
                if (m.isPresent()) {
                    out.add(new Superseded(d, selector, m.get().getKey(), m.get().getValue()));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(Superseded::at));
        return out;
    }

    /** The domains with a key directory under {@code keys/}, sorted. */
    public static List<String> domains(Path dir) throws IOException {
        Path keys = dir.resolve("keys");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(keys)) {
            return out;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(keys, Files::isDirectory)) {
            for (Path p : dirs) {
                out.add(p.getFileName().toString().toLowerCase(Locale.ROOT));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * A marker's {@code <prefix><word> at <instant>} or {@code <prefix><instant>} line: the word (empty when
     * absent) and the time; the file's modification time when the text does not parse; empty without the file.
     */
    private static Optional<Map.Entry<String, Instant>> markerTime(Path marker, String prefix) throws IOException {
        if (!Files.exists(marker)) {
            return Optional.empty();
        }
        String text;
        try {
            text = Files.readString(marker, StandardCharsets.UTF_8).strip();
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
        if (text.startsWith(prefix)) {
            String rest = text.substring(prefix.length()).strip();
            int at = rest.lastIndexOf(" at ");
            String word = at >= 0 ? rest.substring(0, at).strip() : "";
            String time = at >= 0 ? rest.substring(at + 4).strip() : rest;
            try {
                return Optional.of(Map.entry(word, Instant.parse(time)));
            } catch (java.time.format.DateTimeParseException ignored) {
                // fall back to the file's time below
            }
        }
        try {
            return Optional.of(Map.entry("", Files.getLastModifiedTime(marker).toInstant()));
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    /** Whether {@code selector} of {@code domain} is a rotation's new key that does not sign yet. */
    public static boolean isPending(Path dir, String domain, String selector) {
        return Files.exists(dir.resolve("keys").resolve(domain.toLowerCase(Locale.ROOT)).resolve(selector + PENDING));
    }

    /**
     * Starts a rotation: writes the new key, its record file and its KeyTable line, marked pending (no
     * SigningTable line). The marker is written first, so a node reading KeyTable never signs with it.
     *
     * @return the zone-file text of the record to publish
     */
    public static String start(Path dir, String domain, String selector, KeyPair pair) throws IOException, DkimException {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!selector.matches("[A-Za-z0-9._-]+") || !d.matches("[a-z0-9.-]+")) {
            throw new DkimException("invalid DKIM domain or selector: " + domain + " / " + selector);
        }
        Path keys = dir.resolve("keys").resolve(d);
        if (Files.exists(keys.resolve(selector + ".private"))) {
            throw new DkimException("DKIM key already exists, not overwritten: " + keys.resolve(selector + ".private"));
        }
        PrivateFiles.createDirectories(keys);
        Path marker = keys.resolve(selector + PENDING);
        PrivateFiles.write(marker, STARTED + Instant.now() + "\n");
        try {
            return DkimKeys.writeOpenDkim(dir, d, selector, pair, false);
        } catch (IOException | DkimException | RuntimeException e) {
            Files.deleteIfExists(marker);
            throw e;
        }
    }

    /**
     * Makes the pending key sign {@code domain}'s mail: SigningTable's {@code *@<domain>} line names it
     * (other lines for the domain are dropped), the key that signed before is marked superseded (now),
     * then the pending marker goes.
     *
     * @return the selector that signed before, if any
     */
    public static Optional<String> confirm(Path dir, String domain, String selector) throws IOException {
        return confirm(dir, domain, selector, Instant.now());
    }

    /** As {@link #confirm(Path, String, String)}, recording {@code at} as the time of the switch. */
    public static Optional<String> confirm(Path dir, String domain, String selector, Instant at) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        Optional<String> before = signingSelector(dir, d);
        String keyName = selector + "._domainkey." + d;
        List<String> out = new ArrayList<>();
        boolean placed = false;
        Path table = dir.resolve("SigningTable");
        for (String line : Files.exists(table) ? Files.readAllLines(table, StandardCharsets.UTF_8) : List.<String>of()) {
            String[] cols = line.strip().split("\\s+", 2);
            if (!line.strip().startsWith("#") && cols.length == 2 && patternIsDomain(cols[0], d)) {
                if (!placed) {
                    out.add(cols[0] + " " + keyName);
                    placed = true;
                }
                continue;
            }
            out.add(line);
        }
        if (!placed) {
            out.add("*@" + d + " " + keyName);
        }
        PrivateFiles.writeAtomically(table, String.join("\n", out) + "\n");
        Path keys = dir.resolve("keys").resolve(d);
        if (before.isPresent() && !before.get().equals(selector) && Files.exists(keys.resolve(before.get() + ".private"))) {
            PrivateFiles.writeAtomically(keys.resolve(before.get() + SUPERSEDED), SUPERSEDED_BY + selector + " at " + at + "\n");
        }
        Files.deleteIfExists(keys.resolve(selector + SUPERSEDED));
        Files.deleteIfExists(keys.resolve(selector + PENDING));
        return before;
    }

    /**
     * Removes a key that no longer signs: its KeyTable and SigningTable lines, then its files (private key,
     * record, marker), so {@code config dns} stops listing its record.
     *
     * @throws DkimException when the key does not exist or still signs the domain's mail
     */
    public static void retire(Path dir, String domain, String selector) throws IOException, DkimException {
        String d = domain.toLowerCase(Locale.ROOT);
        Path keys = dir.resolve("keys").resolve(d);
        if (!selector.matches("[A-Za-z0-9._-]+") || !Files.exists(keys.resolve(selector + ".private"))) {
            throw new DkimException("no DKIM key with selector '" + selector + "' for '" + d + "'");
        }
        if (signingSelector(dir, d).filter(selector::equals).isPresent()) {
            throw new DkimException("selector '" + selector + "' still signs the mail of '" + d + "'");
        }
        String keyName = selector + "._domainkey." + d;
        rewriteWithout(dir.resolve("SigningTable"), cols -> cols.length == 2 && cols[1].strip().equalsIgnoreCase(keyName));
        rewriteWithout(dir.resolve("KeyTable"), cols -> cols[0].equalsIgnoreCase(keyName)
                || (cols.length == 2 && cols[1].toLowerCase(Locale.ROOT).startsWith(d + ":" + selector.toLowerCase(Locale.ROOT) + ":")));
        Files.deleteIfExists(keys.resolve(selector + ".private"));
        Files.deleteIfExists(keys.resolve(selector + ".txt"));
        Files.deleteIfExists(keys.resolve(selector + PENDING));
        Files.deleteIfExists(keys.resolve(selector + SUPERSEDED));
    }

    /**
     * The KeyTable names of other keys (another domain or selector) whose key file is {@code domain}'s
     * {@code selector} key file: retiring it would delete a key they sign with.
     */
    public static List<String> otherKeysUsingFile(Path dir, String domain, String selector) throws IOException {
        String d = domain.toLowerCase(Locale.ROOT);
        String file = "keys/" + d + "/" + selector + ".private";
        List<String> out = new ArrayList<>();
        for (String line : lines(dir.resolve("KeyTable"))) {
            String[] cols = line.split("\\s+", 2);
            String[] parts = cols.length == 2 ? cols[1].split(":", 3) : new String[0];
            if (parts.length == 3 && parts[2].strip().endsWith(file)
                    && !(parts[0].equalsIgnoreCase(d) && parts[1].equals(selector))) {
                out.add(cols[0]);
            }
        }
        return out;
    }

    /** Forgets that {@code selector} was superseded (it signs again, or is kept on purpose): no retirement is due. */
    public static void keep(Path dir, String domain, String selector) throws IOException {
        Files.deleteIfExists(dir.resolve("keys").resolve(domain.toLowerCase(Locale.ROOT)).resolve(selector + SUPERSEDED));
    }

    private static void rewriteWithout(Path file, java.util.function.Predicate<String[]> drop) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#") && drop.test(l.split("\\s+", 2))) {
                continue;
            }
            kept.add(line);
        }
        PrivateFiles.writeAtomically(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
    }

    /** OpenDKIM SigningTable patterns that mean "all of the domain": {@code *@d} (refile) or {@code d}. */
    private static boolean patternIsDomain(String pattern, String domain) {
        String p = pattern.toLowerCase(Locale.ROOT);
        return p.equals("*@" + domain) || p.equals(domain);
    }

    /** KeyTable rows as {name, domain, selector}. */
    private static List<String[]> keyTable(Path dir) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : lines(dir.resolve("KeyTable"))) {
            String[] cols = line.split("\\s+", 2);
            String[] parts = cols.length == 2 ? cols[1].split(":", 3) : new String[0];
            if (parts.length == 3) {
                rows.add(new String[] {cols[0].toLowerCase(Locale.ROOT), parts[0].toLowerCase(Locale.ROOT), parts[1]});
            }
        }
        return rows;
    }

    private static String selectorOf(String keyName, List<String[]> keyTable) {
        for (String[] k : keyTable) {
            if (k[0].equals(keyName.toLowerCase(Locale.ROOT))) {
                return k[2];
            }
        }
        int i = keyName.indexOf("._domainkey.");
        return i > 0 ? keyName.substring(0, i) : keyName;
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                out.add(l);
            }
        }
        return out;
    }
}
