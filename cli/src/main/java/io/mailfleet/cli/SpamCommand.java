package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>}: trains the spam filter (the built-in
 * classifier, or Rspamd when it is on) from every message of an existing folder.
 */
@Command(name = "spam", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>",
        description = "Train the spam filter from a folder (the built-in classifier, or Rspamd when ENABLE_RSPAMD=1).",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class SpamCommand implements Callable<Integer>, UsageErrors {

    private final PrintStream out;
    private final CliContext ctx;

    SpamCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
    }

    @Override
    public Integer call() {
        throw new CliFailure("a subcommand is required", 1, "Usage: ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>\n");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Usage: ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>"));
    }

    @Command(name = "learn", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>",
            description = {"Learn every message of <FOLDER> of <ACCOUNT> as spam or as ham; messages",
                    "already expunged are skipped and counted."})
    int learn(@Parameters(index = "0", paramLabel = "spam|ham") String as,
              @Parameters(index = "1", paramLabel = "ACCOUNT") String account,
              @Parameters(index = "2", paramLabel = "FOLDER") String folder) {
        if (!as.equals("spam") && !as.equals("ham")) {
            throw new CliFailure("the first argument must be spam or ham, not '" + as + "'", 1,
                    "Usage: ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>\n");
        }
        JsonNode r = ctx.api().send("POST", "/api/v1/spam/learn",
                ApiClient.body("account", account, "folder", folder, "as", as), Duration.ofMinutes(31));
        int skipped = r.path("skipped").asInt();
        out.println("Learned " + r.path("learned").asInt() + " message(s) of " + folder + " of " + account + " as " + as
                + " into " + r.path("into").asText()
                + (skipped > 0 ? " (" + skipped + " already expunged, skipped)" : ""));
        return 0;
    }
}
