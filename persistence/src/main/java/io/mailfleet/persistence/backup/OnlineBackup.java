package io.mailfleet.persistence.backup;

import com.typesafe.config.Config;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.persistence.blob.FileBlobStore;
import io.mailfleet.persistence.journal.StorageSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A stop-free copy of a running single node's data directory into a new directory that is itself a
 * data directory: start a node on it ({@code --data}) to restore. The H2 journal is copied first with
 * H2's online {@code BACKUP TO} (a consistent snapshot), then the message bytes: every blob a journal
 * event of the snapshot refers to was committed before that event, and blobs are never changed, so
 * the copy holds all of them (segments copied mid-append end in a torn batch, which a store ignores).
 * With PostgreSQL or S3 the journal or the blobs are not in the data directory: the backup says so,
 * and the operator backs those up with their own tools (docs/storage.md). The copy is private: directories
 * 0700, files 0600, whatever the umask.
 */
public final class OnlineBackup {

    /** What a backup copied. */
    public record Result(Path target, String journal, long journalBytes, long blobFiles, long blobBytes,
                         long otherFiles, List<String> notes, Duration took) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /** Top-level entries of a data directory that are not copied: rebuilt, temporary or elsewhere. */
    private static final List<String> SKIPPED = List.of("journal", "blobs", "s3-spool");

    private final Config config;

    public OnlineBackup(Config config) {
        this.config = config;
    }

    /**
     * Writes the backup to {@code target}, which must be an absolute path outside the data directory
     * that does not exist yet or is an empty directory; {@code blobStore} is the node's running store.
     *
     * @throws IllegalArgumentException naming the problem with {@code target}
     * @throws IOException              when reading the data or writing the copy fails (the partial copy is left for inspection)
     */
    public Result run(Path target, BlobStore blobStore) throws IOException {
        Instant start = Instant.now();
        Path data = StorageSettings.dataDir(config);
        Path to = checkTarget(data, target);
        String journal = StorageSettings.journal(config);
        if (journal.equals("h2") && to.toString().contains("'")) {
            // the journal's path goes into an SQL literal (H2's BACKUP TO): refuse rather than escape
            throw new IllegalArgumentException("backup directory " + to + " must not contain '");
        }
        PrivateFiles.createDirectories(to);
        List<String> notes = new java.util.ArrayList<>();
        long journalBytes = 0;
        if (journal.equals("h2")) {
            journalBytes = h2(to.resolve("journal"));
        } else {
            notes.add("the journal is in PostgreSQL: back it up with pg_dump BEFORE this copy of the data directory");
        }
        long[] blobs = {0, 0};
        String kind = config.getString("mailfleet.storage.blobs");
        if (kind.equals("file") && blobStore instanceof FileBlobStore files) {
            blobs = files.copyTo(to.resolve("blobs"));
        } else {
            notes.add("message bytes are in the " + kind + " blob store, not in the data directory: copy it after the journal");
        }
        long others = 0;
        try (Stream<Path> top = Files.list(data)) {
            for (Path p : (Iterable<Path>) top::iterator) {
                String name = p.getFileName().toString();
                if (!SKIPPED.contains(name) && !p.equals(to)) {
                    others += copyFiles(p, to.resolve(name));
                }
            }
        }
        PrivateFiles.writeAtomically(to.resolve("BACKUP.txt"), manifest(data, journal, kind, notes, start));
        // an empty target made beforehand by the operator (0755 under umask 022) is closed too
        PrivateFiles.tightenTree(to);
        return new Result(to, journal, journalBytes, blobs[0], blobs[1], others, notes,
                Duration.between(start, Instant.now()));
    }

    private static Path checkTarget(Path data, Path target) throws IOException {
        if (!target.isAbsolute()) {
            throw new IllegalArgumentException("backup directory '" + target + "' must be an absolute path");
        }
        Path to = target.normalize();
        if (to.startsWith(data)) {
            throw new IllegalArgumentException("backup directory " + to + " is inside the data directory " + data);
        }
        if (data.startsWith(to)) {
            throw new IllegalArgumentException("backup directory " + to + " contains the data directory " + data);
        }
        if (Files.exists(to)) {
            if (!Files.isDirectory(to)) {
                throw new IllegalArgumentException("backup directory " + to + " exists and is not a directory");
            }
            try (Stream<Path> s = Files.list(to)) {
                if (s.findAny().isPresent()) {
                    throw new IllegalArgumentException("backup directory " + to + " is not empty");
                }
            }
        }
        return to;
    }

    /** H2's online backup (a zip of a consistent database file), unpacked into {@code dir}. */
    private long h2(Path dir) throws IOException {
        PrivateFiles.createDirectories(dir);
        Path zip = dir.resolve("mailfleet-backup.zip");
        try (Connection c = DriverManager.getConnection(StorageSettings.h2Url(config),
                config.getString("mailfleet.storage.h2.user"), config.getString("mailfleet.storage.h2.password"));
             Statement st = c.createStatement()) {
            st.execute("BACKUP TO '" + zip + "'");
        } catch (SQLException e) {
            throw new IOException("H2 online backup of the journal failed: " + e.getMessage(), e);
        }
        long bytes = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                Path out = dir.resolve(Path.of(e.getName()).getFileName().toString());
                if (e.isDirectory() || !out.getFileName().toString().endsWith(".mv.db")) {
                    continue;
                }
                bytes += PrivateFiles.copy(z, out);
            }
        }
        Files.delete(zip);
        if (bytes == 0) {
            throw new IOException("H2 online backup of the journal produced no database file");
        }
        return bytes;
    }

    /** Copies the files under {@code from}, or {@code from} itself when it is a file, to {@code to}; returns how many. */
    private static long copyFiles(Path from, Path to) throws IOException {
        long files = 0;
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    PrivateFiles.createDirectories(dest);
                } else if (Files.isRegularFile(p)) {
                    PrivateFiles.createDirectories(dest.getParent());
                    PrivateFiles.copy(p, dest);
                    files++;
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return files;
    }

    private static String manifest(Path data, String journal, String blobs, List<String> notes, Instant start) {
        StringBuilder b = new StringBuilder()
                .append("Mailfleet online backup\n")
                .append("taken: ").append(start).append('\n')
                .append("from data directory: ").append(data).append('\n')
                .append("journal: ").append(journal).append('\n')
                .append("blobs: ").append(blobs).append('\n')
                .append("restore: stop the node, start it with --data pointing here (or copy this directory's content into the data directory)\n");
        notes.forEach(n -> b.append("note: ").append(n).append('\n'));
        return b.toString();
    }
}
