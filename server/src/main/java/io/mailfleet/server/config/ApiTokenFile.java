package io.mailfleet.server.config;

import io.mailfleet.core.files.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/** The management API token kept in {@code <data-dir>/api-token} (mode 0600) when none is configured. */
public final class ApiTokenFile {

    public static final String FILE_NAME = "api-token";

    private ApiTokenFile() {
    }

    /** The settings with their token filled in: the configured one, else the file's, created if absent. */
    public static ManagementSettings resolve(ManagementSettings settings, Path dataDir) {
        if (!settings.token().isEmpty()) {
            return settings;
        }
        return settings.withToken(loadOrCreate(dataDir));
    }

    /** The token stored under the data directory, if the file exists and is not empty. */
    public static Optional<String> read(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            return t.isEmpty() ? Optional.empty() : Optional.of(t);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the API token file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the token file, or creates it with a fresh random token readable by the owner only. */
    public static String loadOrCreate(Path dataDir) {
        Optional<String> existing = read(dataDir);
        if (existing.isPresent()) {
            return existing.get();
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Path file = dataDir.resolve(FILE_NAME);
        try {
            PrivateFiles.createDirectories(dataDir);
            PrivateFiles.writeAtomically(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the API token file " + file + ": " + e.getMessage(), e);
        }
        return read(dataDir).orElse(token);
    }
}
