package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** {@code ./mailfleet backup <DIR>}: a stop-free backup of the running node's data directory. */
final class BackupCommand {

    static final String USAGE = Usage.command("./mailfleet backup <DIRECTORY>",
            "Copy the running node's data directory into <DIRECTORY> (a new or empty directory outside\n"
                    + "the data directory) without stopping it: the journal first (H2's online backup), then\n"
                    + "the message bytes and the other files. The copy is a data directory: to restore, stop\n"
                    + "the node and start it with --data <DIRECTORY>. With PostgreSQL or shared/S3 blobs, back\n"
                    + "those up with their own tools (the command says so).");

    private final PrintStream out;
    private final Supplier<ApiClient> api;

    BackupCommand(PrintStream out, Supplier<ApiClient> api) {
        this.out = out;
        this.api = api;
    }

    /** Runs the command; {@code args} follow the word {@code backup}. */
    void run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("help")) {
            out.print(USAGE);
            return;
        }
        if (args.size() > 1) {
            throw new CliFailure("too many arguments for backup", 1, "Usage: ./mailfleet backup <DIRECTORY>\n");
        }
        // the node resolves the path, so a relative one is made absolute here, where the user typed it
        String dir = Path.of(args.get(0)).toAbsolutePath().normalize().toString();
        JsonNode r = api.get().send("POST", "/api/v1/backup?dir=" + ApiClient.seg(dir), null, Duration.ofMinutes(30));
        out.println("INFO: backup written to " + r.path("dir").asText() + ": journal (" + r.path("journal").asText()
                + ") " + IecSize.format(r.path("journalBytes").asLong()) + ", " + r.path("blobFiles").asLong()
                + " blob file(s) " + IecSize.format(r.path("blobBytes").asLong()) + ", "
                + r.path("otherFiles").asLong() + " other file(s), " + r.path("millis").asLong() + " ms");
        for (JsonNode n : r.path("notes")) {
            out.println("WARNING: " + n.asText());
        }
    }
}
