package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/** {@code ./mailfleet blobs gc [--dry-run]}: one blob garbage collection run, with its report. */
final class BlobsCommand {

    static final String USAGE = Usage.command("./mailfleet blobs gc [--dry-run]",
            "gc [--dry-run]      Delete the stored message bytes that no queued message and no mailbox\n"
                    + "                    references any more and that are older than the grace period\n"
                    + "                    (mailfleet.storage.blob-gc.grace, 24h by default). With --dry-run,\n"
                    + "                    only count what would be deleted. Runs on the node the API belongs to\n"
                    + "                    and covers the whole cluster; it also runs by itself every\n"
                    + "                    mailfleet.storage.blob-gc.interval (24h).");

    private final PrintStream out;
    private final Supplier<ApiClient> api;

    BlobsCommand(PrintStream out, Supplier<ApiClient> api) {
        this.out = out;
        this.api = api;
    }

    /** Runs the subcommand; {@code args} follow the word {@code blobs}. */
    void run(List<String> args) {
        String sub = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.size() > 1 ? args.subList(1, args.size()) : List.of();
        switch (sub) {
            case "help" -> out.print(USAGE);
            case "gc" -> gc(rest);
            default -> throw new CliFailure("The command 'blobs " + String.join(" ", args) + "' is invalid.\n"
                    + "Use `./mailfleet blobs help` to get an overview of the blobs commands.", 2);
        }
    }

    private void gc(List<String> args) {
        boolean dryRun = false;
        for (String a : args) {
            if (a.equals("--dry-run")) {
                dryRun = true;
            } else {
                throw new CliFailure("unknown option '" + a + "' for blobs gc", 1, "Usage: ./mailfleet blobs gc [--dry-run]\n");
            }
        }
        JsonNode r = api.get().send("POST", "/api/v1/blobs/gc" + (dryRun ? "?dry-run=true" : ""), null,
                java.time.Duration.ofMinutes(10));
        out.println("INFO: " + r.path("referenced").asLong() + " blob(s) referenced by "
                + r.path("partitions").asLong() + " queue partition(s) and " + r.path("mailboxes").asLong()
                + " mailbox(es); " + r.path("listed").asLong() + " stored before " + r.path("cutoff").asText());
        out.println("INFO: " + r.path("deleted").asLong() + " unreferenced blob(s), "
                + IecSize.format(r.path("bytesFreed").asLong()) + (dryRun ? ", would be deleted (dry run)" : ", deleted")
                + (r.path("deleteFailures").asLong() > 0 ? "; " + r.path("deleteFailures").asLong()
                + " could not be deleted (see the server log)" : ""));
    }
}
