package io.mailfleet.ops.cluster.credentials;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files only their owner can read (0600) into directories only their owner can enter (0700), whatever the umask. */
final class PrivateFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) as 0700. An existing directory is left as it is: the
     * operator chose it, and changing e.g. /etc would break other software; the files are 0600 anyway.
     */
    static void directory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, DIR);
    }

    /**
     * Writes {@code content} to {@code target} through a temporary file created 0600 (so the bytes are
     * never readable by others, not even for a moment) and moved into place atomically.
     */
    static void write(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE));
        Files.write(tmp, content, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Refuses to overwrite: credentials already made are never silently replaced. */
    static void requireAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file + " already exists; remove it first if it really is to be replaced");
        }
    }

    /** True when group or others may read the file. */
    static boolean readableByOthers(Path file) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.OTHERS_READ);
    }
}
