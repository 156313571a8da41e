package io.mailfleet.server.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * docker-mailserver's {@code dovecot-masters.cf}: one master user a line, {@code name|{SCHEME}hash}.
 * Read again whenever the file's time or size changes (so {@code ./mailfleet dovecot-master add}
 * needs no restart), checked on the authentication executor only (file I/O). A line that cannot be
 * read is logged and skipped; a missing file means no master users.
 */
public final class MasterUsersFile {

    /** The file name in the docker-mailserver config directory. */
    public static final String FILE_NAME = "dovecot-masters.cf";

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.auth");

    private final Path file;
    private FileTime stamp;
    private long size = -1;
    private Object fileKey;
    private Map<String, String> hashes = Map.of();

    public MasterUsersFile(Path file) {
        this.file = file;
    }

    /** The stored hash of master user {@code name} (any case), if there is one. */
    public synchronized Optional<String> hash(String name) {
        refresh();
        return Optional.ofNullable(hashes.get(name.toLowerCase(Locale.ROOT)));
    }

    private void refresh() {
        FileTime now;
        long length;
        Object key;
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            now = a.lastModifiedTime();
            length = a.size();
            key = a.fileKey(); // the CLI replaces the file (atomic rename): a new inode even within one time tick
        } catch (NoSuchFileException e) {
            hashes = Map.of();
            stamp = null;
            size = -1;
            return;
        } catch (IOException e) {
            LOG.error("{} unreadable, master users unchanged: {}", file, e.getMessage());
            return;
        }
        if (now.equals(stamp) && length == size && java.util.Objects.equals(key, fileKey)) {
            return;
        }
        try {
            hashes = parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
            stamp = now;
            size = length;
            fileKey = key;
            LOG.info("{}: {} master user(s)", file, hashes.size());
        } catch (IOException e) {
            LOG.error("{} unreadable, master users unchanged: {}", file, e.getMessage());
        }
    }

    /** The name-to-hash map of the file's lines (names lower case); bad lines are logged and skipped. */
    public static Map<String, String> parse(Path file, List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int bar = line.indexOf('|');
            String name = bar < 0 ? "" : line.substring(0, bar).strip().toLowerCase(Locale.ROOT);
            String hash = bar < 0 ? "" : line.substring(bar + 1).strip();
            if (!validName(name) || hash.isEmpty()) {
                LOG.warn("{} line {}: expected name|{SCHEME}hash, line skipped", file, n);
                continue;
            }
            out.put(name, hash);
        }
        return out;
    }

    /** A master user name: no separator {@code *}, no {@code |}, no spaces, not empty. */
    public static boolean validName(String name) {
        return name.matches("[A-Za-z0-9._@+-]{1,128}");
    }
}
