package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code ./mailfleet blobs gc [--dry-run]}: one blob garbage collection run, with its report. */
@Command(name = "blobs", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet blobs gc [--dry-run]",
        description = "The stored message bytes; `./mailfleet blobs` alone prints this usage.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class BlobsCommand extends CommandGroup {

    BlobsCommand(CliContext ctx) {
        super(ctx, "blobs");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem instanceof CommandLine.UnmatchedArgumentException u && problem.getCommandLine().getCommandName().equals("gc")) {
            return ctx.fail(new CliFailure("unknown option '" + u.getUnmatched().get(0) + "' for blobs gc", 1,
                    "Usage: ./mailfleet blobs gc [--dry-run]\n"));
        }
        return super.report(problem, ctx);
    }

    @Command(name = "gc", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet blobs gc [--dry-run]",
            description = {"Delete the stored message bytes that no queued message and no mailbox",
                    "references any more and that are older than the grace period",
                    "(mailfleet.storage.blob-gc.grace, 24h by default). Runs on the node the API belongs to",
                    "and covers the whole cluster; it also runs by itself every",
                    "mailfleet.storage.blob-gc.interval (24h)."})
    int gc(@Option(names = "--dry-run", description = "only count what would be deleted") boolean dryRun) {
        JsonNode r = ctx.api().send("POST", "/api/v1/blobs/gc" + (dryRun ? "?dry-run=true" : ""), null,
                java.time.Duration.ofMinutes(10));
        out.println("INFO: " + r.path("referenced").asLong() + " blob(s) referenced by "
                + r.path("partitions").asLong() + " queue partition(s) and " + r.path("mailboxes").asLong()
                + " mailbox(es); " + r.path("listed").asLong() + " stored before " + r.path("cutoff").asText());
        out.println("INFO: " + r.path("deleted").asLong() + " unreferenced blob(s), "
                + IecSize.format(r.path("bytesFreed").asLong()) + (dryRun ? ", would be deleted (dry run)" : ", deleted")
                + (r.path("deleteFailures").asLong() > 0 ? "; " + r.path("deleteFailures").asLong()
                + " could not be deleted (see the server log)" : ""));
        return 0;
    }
}
