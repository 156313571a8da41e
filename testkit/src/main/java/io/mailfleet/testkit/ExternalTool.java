package io.mailfleet.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A third-party program a test starts as a real component (clamd, spamd, slapd, chromium...). It is
 * installed by {@code scripts/install-test-tools.sh}, which the README's test command runs first; a
 * test never skips because a tool is missing, it fails naming the package, so CI cannot go green
 * without having run it.
 */
public final class ExternalTool {

    private static final List<String> PATH_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private ExternalTool() {
    }

    /**
     * The executable {@code command} (a name looked up on PATH and the system directories, or an
     * absolute path); fails the calling test when absent.
     *
     * @param debianPackage the package that provides it, for the failure message
     */
    public static Path require(String command, String debianPackage) {
        Path found = find(command);
        if (found == null) {
            throw new AssertionError("'" + command + "' is not installed: run ./scripts/install-test-tools.sh"
                    + " (Debian package " + debianPackage + ", listed in scripts/test-tools.txt)");
        }
        return found;
    }

    /** The executable {@code command}, or null when it is not installed. */
    public static Path find(String command) {
        if (command.startsWith("/")) {
            Path p = Path.of(command);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            Path p = dir.isEmpty() ? null : Path.of(dir, command);
            if (p != null && Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : PATH_DIRS) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
