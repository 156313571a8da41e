package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./mailfleet fetchmail [list] | run [<SOURCE>]}: the remote mailboxes of docker-mailserver's
 * {@code fetchmail.cf}, each with its last poll, count fetched and last error; {@code run} polls now.
 */
@Command(name = "fetchmail", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet fetchmail [list | run [<SOURCE>]]",
        description = "Remote POP3/IMAP mailboxes fetched into local accounts (fetchmail.cf); without a subcommand: list.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class FetchmailCommand extends CommandGroup {

    FetchmailCommand(CliContext ctx) {
        super(ctx, "fetchmail");
    }

    @Override
    public Integer call() {
        return list();
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        boolean extraArgument = problem instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().get(0).startsWith("-");
        if (extraArgument && problem.getCommandLine().getCommandName().equals("run")) {
            return ctx.fail(new CliFailure("too many arguments for fetchmail run", 1,
                    "Usage: ./mailfleet fetchmail run [<SOURCE>]\n"));
        }
        return super.report(problem, ctx);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fetchmail list",
            description = {"Every fetchmail.cf source: protocol, local address, last poll, messages fetched,",
                    "consecutive failures and the last error; then the entries fetchmail.cf could not use."})
    int list() {
        JsonNode r = ctx.api().get("/api/v1/fetchmail");
        if (!r.path("enabled").asBoolean()) {
            out.println("fetchmail is off (set ENABLE_FETCHMAIL=1 and put fetchmail.cf in the config directory)");
            return 0;
        }
        print(r.path("sources"));
        for (JsonNode p : r.path("problems")) {
            out.println("WARNING: " + p.asText());
        }
        return 0;
    }

    @Command(name = "run", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet fetchmail run [<SOURCE>]",
            description = {"Poll one source (its name as `fetchmail list` shows it) or all now, and show",
                    "the result; exit code 1 when a poll failed."})
    int run(@Parameters(arity = "0..1", paramLabel = "SOURCE", hidden = true) String source) {
        String path = "/api/v1/fetchmail/run" + (source == null || source.isBlank() ? ""
                : "?source=" + java.net.URLEncoder.encode(source.strip(), java.nio.charset.StandardCharsets.UTF_8));
        JsonNode r = ctx.api().send("POST", path, null, Duration.ofMinutes(11));
        print(r.path("sources"));
        boolean failed = false;
        for (JsonNode s : r.path("sources")) {
            failed |= !s.path("lastError").isNull() && !s.path("lastError").isMissingNode();
        }
        return failed ? 1 : 0;
    }

    private void print(JsonNode sources) {
        if (sources.isEmpty()) {
            out.println("No fetchmail source");
            return;
        }
        String format = "%-36s  %-9s  %-30s  %-24s  %7s  %8s  %s%n";
        out.printf(format, "SOURCE", "PROTOCOL", "LOCAL", "LAST POLL", "FETCHED", "FAILURES", "LAST ERROR");
        for (JsonNode s : sources) {
            // a source whose connection waits in IMAP IDLE shows "imap IDLE"
            out.printf(format, s.path("name").asText(),
                    s.path("protocol").asText("") + (s.path("watching").asBoolean(false) ? " IDLE" : ""),
                    s.path("localRecipient").asText(""), s.path("lastPoll").isNull() ? "never" : s.path("lastPoll").asText(),
                    s.path("fetchedTotal").asLong(), s.path("failures").asInt(),
                    s.path("lastError").isNull() ? "-" : s.path("lastError").asText());
        }
        out.println("-- " + sources.size() + (sources.size() == 1 ? " source" : " sources"));
    }
}
