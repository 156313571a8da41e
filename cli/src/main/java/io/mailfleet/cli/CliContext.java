package io.mailfleet.cli;

import io.mailfleet.server.config.ApiTokenFile;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.config.Settings;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of {@code ./mailfleet} works with: its streams, its environment, and the node's
 * configuration and API client, both loaded on first need (so usage errors never touch the node).
 */
public final class CliContext {

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private BufferedReader reader;
    private Path configFile;
    private LoadedConfig loaded;
    private ApiClient api;

    public CliContext(InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /** Standard input (a message for {@code sendmail}, answers to prompts). */
    public java.io.InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    void configFile(Path file) {
        configFile = file;
    }

    /** Prints a failure as the CLI always has (usage on stdout, message on stderr); returns its exit code. */
    int fail(CliFailure f) {
        if (f.usage != null) {
            out.print(f.usage);
        }
        if (f.getMessage() != null) {
            err.println(f.exitCode == 2 ? f.getMessage() : "ERROR: " + f.getMessage());
        }
        return f.exitCode;
    }

    void warnings(com.fasterxml.jackson.databind.JsonNode r) {
        r.path("warnings").forEach(w -> err.println("WARN: " + w.asText()));
    }

    String promptPassword() {
        Console console = System.console();
        if (in == System.in && console != null) {
            char[] pw = console.readPassword("Enter Password: ");
            return pw == null ? "" : new String(pw);
        }
        return promptLine("Enter Password: ");
    }

    String promptLine(String prompt) {
        out.print(prompt);
        out.flush();
        try {
            if (reader == null) {
                reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = reader.readLine();
            out.println();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's configuration (--config, MAILFLEET_CONFIG, environment), loaded on first need. */
    LoadedConfig loaded() {
        if (loaded == null) {
            try {
                loaded = MailfleetConfig.load(configFile, env);
            } catch (ConfigError e) {
                throw new CliFailure(e.getMessage(), 1);
            }
        }
        return loaded;
    }

    /** The API client, from the same configuration the node uses; created on first need. */
    ApiClient api() {
        if (api != null) {
            return api;
        }
        Settings s = loaded().settings();
        String token = s.management().token();
        if (token.isEmpty()) {
            Optional<String> fromFile;
            try {
                fromFile = ApiTokenFile.read(s.dataDir());
            } catch (UncheckedIOException e) {
                throw new CliFailure(e.getMessage(), 1);
            }
            token = fromFile.orElseThrow(() -> new CliFailure("no API token: " + s.dataDir().resolve(ApiTokenFile.FILE_NAME)
                    + " does not exist — start the node with `./mailfleet serve` (it creates the token), point"
                    + " MAILFLEET_DATA (or mailfleet.data-dir) at the node's data directory, or set"
                    + " MAILFLEET_API_TOKEN / mailfleet.management.token to the node's token", 1));
        }
        api = new ApiClient(s.management().baseUrl(), token);
        return api;
    }
}
