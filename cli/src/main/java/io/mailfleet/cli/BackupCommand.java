package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./mailfleet backup <DIR>}: a stop-free backup of the running node's data directory. */
@Command(name = "backup", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet backup <DIRECTORY>",
        description = """
                Copy the running node's data directory into <DIRECTORY> (a new or empty directory outside
                the data directory) without stopping it: the journal first (H2's online backup), then
                the message bytes and the other files. The copy is a data directory: to restore, stop
                the node and start it with --data <DIRECTORY>. With PostgreSQL or shared/S3 blobs, back
                those up with their own tools (the command says so).""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
final class BackupCommand implements Callable<Integer>, UsageErrors {

    private static final String SHORT_USAGE = "Usage: ./mailfleet backup <DIRECTORY>\n";

    private final PrintStream out;
    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DIRECTORY", hidden = true)
    private String directory;

    BackupCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().get(0).startsWith("-")) {
            return ctx.fail(new CliFailure("too many arguments for backup", 1, SHORT_USAGE));
        }
        return ctx.fail(new CliFailure(problem.getMessage(), 1, SHORT_USAGE));
    }

    @Override
    public Integer call() {
        if (directory == null || directory.equals("help")) {
            out.print(spec.commandLine().getUsageMessage());
            return 0;
        }
        // the node resolves the path, so a relative one is made absolute here, where the user typed it
        String dir = Path.of(directory).toAbsolutePath().normalize().toString();
        JsonNode r = ctx.api().send("POST", "/api/v1/backup?dir=" + ApiClient.seg(dir), null, Duration.ofMinutes(30));
        out.println("INFO: backup written to " + r.path("dir").asText() + ": journal (" + r.path("journal").asText()
                + ") " + IecSize.format(r.path("journalBytes").asLong()) + ", " + r.path("blobFiles").asLong()
                + " blob file(s) " + IecSize.format(r.path("blobBytes").asLong()) + ", "
                + r.path("otherFiles").asLong() + " other file(s), " + r.path("millis").asLong() + " ms");
        for (JsonNode n : r.path("notes")) {
            out.println("WARNING: " + n.asText());
        }
        return 0;
    }
}
