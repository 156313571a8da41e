package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./mailfleet queue list|show|flush|delete|bounce}: the mail queue of the cluster, with
 * listings in the layout of Postfix's {@code mailq} (docker-mailserver users know it from
 * {@code postqueue -p}).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet queue <list|show|flush|delete|bounce> [ARGUMENTS]",
        description = "The mail queue of the whole cluster; `./mailfleet queue` alone prints this usage.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class QueueCommand extends CommandGroup {

    private static final DateTimeFormatter ARRIVAL =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private static final String LIST_USAGE =
            "Usage: ./mailfleet queue list [--sender S] [--recipient R] [--status S] [--older-than AGE]\n";

    QueueCommand(CliContext ctx) {
        super(ctx, "queue");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem.getCommandLine().getCommandName().equals("list")) {
            if (problem instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                    && missing.getMissing().get(0) instanceof OptionSpec option) {
                return ctx.fail(new CliFailure("option " + option.longestName() + " needs a value", 1));
            }
            if (problem instanceof CommandLine.UnmatchedArgumentException u) {
                return ctx.fail(new CliFailure("unknown option '" + u.getUnmatched().get(0) + "' for queue list", 1, LIST_USAGE));
            }
        }
        return super.report(problem, ctx);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            customSynopsis = {"    ./mailfleet queue list [--sender S] [--recipient R] [--status deferred|active|reporting]",
                    "                           [--older-than AGE]"},
            description = "List queued messages like `mailq`; AGE is e.g. 90s, 30m, 4h, 2d.")
    int list(@Option(names = "--sender", paramLabel = "S", description = "only messages from this sender") String sender,
             @Option(names = "--recipient", paramLabel = "R", description = "only messages to this recipient") String recipient,
             @Option(names = "--status", paramLabel = "S", description = "deferred, active or reporting") String status,
             @Option(names = "--older-than", paramLabel = "AGE", description = "only messages older than AGE") String olderThan) {
        List<String> query = new ArrayList<>();
        filter(query, "sender", "--sender", sender);
        filter(query, "recipient", "--recipient", recipient);
        filter(query, "status", "--status", status);
        filter(query, "older-than", "--older-than", olderThan);
        JsonNode list = ctx.api().get("/api/v1/queue" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (list.isEmpty()) {
            out.println(query.isEmpty() ? "Mail queue is empty" : "No queued message matches");
            return 0;
        }
        out.printf("%-17s %8s %-20s %s%n", "-Queue ID-", "--Size--", "----Arrival Time----", "-Sender/Recipient-------");
        long bytes = 0;
        for (JsonNode m : list) {
            bytes += m.path("size").asLong();
            String mark = m.path("status").asText().equals("active") ? "*" : " ";
            out.printf("%-17s %8d %-20s %s%n", m.path("id").asText() + mark, m.path("size").asLong(),
                    ARRIVAL.format(Instant.parse(m.path("receivedAt").asText())),
                    m.path("sender").asText().isEmpty() ? "MAILER-DAEMON" : m.path("sender").asText());
            if (!m.path("reason").isNull() && m.path("status").asText().equals("deferred")) {
                out.println("                                          (" + m.path("reason").asText() + ")");
            }
            for (JsonNode r : m.path("recipients")) {
                out.println("                                          " + r.asText());
            }
            out.println();
        }
        out.println("-- " + Math.max(1, (bytes + 1023) / 1024) + " Kbytes in " + list.size()
                + (list.size() == 1 ? " Request." : " Requests."));
        return 0;
    }

    private static void filter(List<String> query, String key, String option, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            throw new CliFailure("option " + option + " needs a value", 1);
        }
        query.add(key + "=" + ApiClient.seg(value));
    }

    @Command(name = "show", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet queue show <ID>",
            description = {"Envelope, every delivery target with its state, attempts, next attempt",
                    "and the last reply of the remote server."})
    int show(@Parameters(arity = "0..1", paramLabel = "ID", hidden = true) String id) {
        print(id(id, "show"));
        return 0;
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet queue flush [<ID>]",
            description = "Retry deferred mail now (every message, or one), like `postqueue -f`.")
    int flush(@Parameters(arity = "0..1", paramLabel = "ID", hidden = true) String id) {
        if (id == null) {
            JsonNode r = ctx.api().send("POST", "/api/v1/queue/flush", null);
            out.println("INFO: " + r.path("flushed").asInt() + " queued message(s) scheduled for immediate delivery");
            return 0;
        }
        act(id, "POST", "/flush", "scheduled for immediate delivery");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet queue delete <ID>",
            description = "Remove a message from the queue without notice, like `postsuper -d`.")
    int delete(@Parameters(arity = "0..1", paramLabel = "ID", hidden = true) String id) {
        act(id(id, "delete"), "DELETE", "", "deleted");
        return 0;
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet queue bounce <ID>",
            description = "Return a message to its sender with a delivery status notification.")
    int bounce(@Parameters(arity = "0..1", paramLabel = "ID", hidden = true) String id) {
        act(id(id, "bounce"), "POST", "/bounce", "returned to the sender");
        return 0;
    }

    private void print(String id) {
        JsonNode m = ctx.api().get("/api/v1/queue/" + ApiClient.seg(id));
        JsonNode env = m.path("envelope");
        out.println("Queue ID:     " + m.path("id").asText());
        out.println("Status:       " + m.path("status").asText());
        out.println("Sender:       <" + env.path("sender").asText() + ">");
        for (JsonNode r : env.path("recipients")) {
            out.println("Recipient:    <" + r.path("address").asText() + ">"
                    + (r.path("notify").isNull() ? "" : " NOTIFY=" + r.path("notify").asText()));
        }
        out.println("Received:     " + m.path("receivedAt").asText() + " (" + m.path("ageSeconds").asLong() + " s ago)"
                + " from " + env.path("helo").asText() + " [" + env.path("clientAddress").asText() + "]"
                + (env.path("authenticatedUser").isNull() ? "" : " as " + env.path("authenticatedUser").asText()));
        out.println("Size:         " + m.path("size").asLong() + " bytes");
        out.println("Attempts:     " + m.path("attempts").asInt());
        out.println("Next attempt: " + (m.path("nextAttempt").isNull() ? "-" : m.path("nextAttempt").asText()));
        out.println("Targets:");
        for (JsonNode t : m.path("targets")) {
            String via = t.path("address").asText().equals(t.path("recipient").asText())
                    ? "" : " (via " + t.path("recipient").asText() + ")";
            out.println("  " + t.path("address").asText() + via + ": " + t.path("state").asText() + " ["
                    + t.path("kind").asText() + "] " + t.path("reason").asText(""));
            JsonNode last = t.path("lastAttempt");
            if (last.isObject()) {
                out.println("    last attempt " + last.path("at").asText() + " at " + last.path("remoteMta").asText()
                        + ": " + last.path("dsnStatus").asText() + " " + last.path("reply").asText());
            }
        }
    }

    private void act(String id, String method, String suffix, String done) {
        ctx.api().send(method, "/api/v1/queue/" + ApiClient.seg(id) + suffix, null);
        out.println("INFO: " + id.toUpperCase(Locale.ROOT) + " " + done);
    }

    private static String id(String id, String verb) {
        if (id == null || id.isBlank()) {
            throw new CliFailure("You need to specify a queue ID: run './mailfleet queue list' to see them", 1,
                    "Usage: ./mailfleet queue " + verb + " <ID>\n");
        }
        return id.strip();
    }
}
