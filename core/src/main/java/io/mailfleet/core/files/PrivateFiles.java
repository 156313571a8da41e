package io.mailfleet.core.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Creates directories 0700 and files 0600 with the mode given at creation, so no umask and no window
 * between create and chmod ever exposes mail, keys or secrets to other local users; and tightens a
 * tree whose entries are open to group or others.
 */
public final class PrivateFiles {

    /** rwx------ */
    public static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    /** rw------- */
    public static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateFiles() {
    }

    /** Like {@link Files#createDirectories}, each directory it creates being 0700; existing ones are left as they are. */
    public static Path createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        return Files.createDirectories(dir, directoryAttributes(dir));
    }

    /** Creates a new empty file 0600; fails when it exists. */
    public static Path createFile(Path file) throws IOException {
        return Files.createFile(file, fileAttributes(file));
    }

    /** Opens a file channel; a file it creates is 0600 from the start. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), fileAttributes(file));
    }

    /** An output stream on a file that, when created, is 0600 from the start (defaults: create, truncate, write). */
    public static OutputStream newOutputStream(Path file, OpenOption... options) throws IOException {
        OpenOption[] opts = options.length > 0 ? options : new OpenOption[] {
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE};
        Set<OpenOption> set = new HashSet<>(List.of(opts));
        set.add(StandardOpenOption.WRITE);
        return Channels.newOutputStream(FileChannel.open(file, set, fileAttributes(file)));
    }

    /**
     * Writes {@code content} to {@code target} atomically: a 0600 temporary file in the same directory,
     * forced to disk, then moved over the target (replacing it).
     */
    public static Path writeAtomically(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        createDirectories(dir);
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel ch = open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return target;
    }

    /** {@link #writeAtomically(Path, byte[])} of UTF-8 text. */
    public static Path writeAtomically(Path target, String text) throws IOException {
        return writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file that must not exist yet, 0600 from the start; {@link FileAlreadyExistsException} when it does. */
    public static Path writeNew(Path file, String text) throws IOException {
        try (OutputStream out = newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    /** Writes UTF-8 text in place, replacing the content of an existing file or creating it 0600. */
    public static void write(Path file, String text) throws IOException {
        try (OutputStream out = newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Appends UTF-8 text, creating the file 0600 when absent. */
    public static void append(Path file, String text) throws IOException {
        try (OutputStream out = newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Copies a stream into a new file, 0600 from the start (replacing an existing one); returns the bytes copied. */
    public static long copy(InputStream in, Path target) throws IOException {
        Files.deleteIfExists(target);
        try (OutputStream out = newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            return in.transferTo(out);
        }
    }

    /** Copies a file into a new 0600 file, keeping its modification time. */
    public static long copy(Path source, Path target) throws IOException {
        long n;
        try (InputStream in = Files.newInputStream(source)) {
            n = copy(in, target);
        }
        Files.setLastModifiedTime(target, Files.getLastModifiedTime(source));
        return n;
    }

    /** Whether group or others have any permission on the entry (never on a non-POSIX file system). */
    public static boolean isOpen(Path p) throws IOException {
        PosixFileAttributeView view = view(p);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        return perms.stream().anyMatch(GROUP_OR_OTHERS::contains);
    }

    /** The entry's mode as {@code rwxr-xr-x}, or {@code ?} when it cannot be read. */
    public static String mode(Path p) {
        try {
            PosixFileAttributeView view = view(p);
            return view == null ? "?" : PosixFilePermissions.toString(view.readAttributes().permissions());
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * Takes every group and others permission off {@code root} and each directory and file under it
     * (symbolic links are neither followed nor changed), keeping the owner's bits.
     *
     * @return what was open, with its mode before the change, in walk order
     */
    public static List<Opened> tightenTree(Path root) throws IOException {
        List<Opened> changed = new ArrayList<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS) || !supportsPosix(root)) {
            return changed;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                try {
                    tighten(p).ifPresent(changed::add);
                } catch (NoSuchFileException gone) {
                    // removed while we walked (a blob collected, a temporary file moved): nothing to protect
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return changed;
    }

    /** Takes group and others permissions off one entry (not a symbolic link); empty when it was private already. */
    public static Optional<Opened> tighten(Path p) throws IOException {
        PosixFileAttributeView view = view(p);
        if (view == null) {
            return Optional.empty();
        }
        var attrs = view.readAttributes();
        if (attrs.isSymbolicLink()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        if (perms.stream().noneMatch(GROUP_OR_OTHERS::contains)) {
            return Optional.empty();
        }
        Set<PosixFilePermission> owner = EnumSet.noneOf(PosixFilePermission.class);
        perms.stream().filter(x -> !GROUP_OR_OTHERS.contains(x)).forEach(owner::add);
        try {
            view.setPermissions(owner);
        } catch (java.nio.file.FileSystemException notOwner) {
            if (notOwner instanceof NoSuchFileException gone) {
                throw gone;
            }
            // another user's file (a volume mounted as root): the caller says so; refusing to start helps nobody
            return Optional.of(new Opened(p, PosixFilePermissions.toString(perms), String.valueOf(notOwner.getReason() != null
                    ? notOwner.getReason() : notOwner.getClass().getSimpleName())));
        }
        return Optional.of(new Opened(p, PosixFilePermissions.toString(perms)));
    }

    /**
     * An entry that group or others could use, with its mode before; {@code failure} says why it could not be
     * tightened (null when it was).
     */
    public record Opened(Path path, String mode, String failure) {

        /** An entry that was tightened. */
        public Opened(Path path, String mode) {
            this(path, mode, null);
        }

        /** Whether group and others lost their permissions. */
        public boolean fixed() {
            return failure == null;
        }
    }

    private static PosixFileAttributeView view(Path p) {
        return Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileAttribute<?>[] directoryAttributes(Path p) {
        return supportsPosix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY_MODE)}
                : new FileAttribute<?>[0];
    }

    private static FileAttribute<?>[] fileAttributes(Path p) {
        return supportsPosix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
    }

    // Non-POSIX file systems (Windows, some mounts) keep their own ACLs: the directory's protection is all we have.
    private static boolean supportsPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
