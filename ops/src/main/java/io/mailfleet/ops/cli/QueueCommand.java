package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code ./mailfleet queue list|show|flush|delete|bounce}: the mail queue of the cluster, with
 * listings in the layout of Postfix's {@code mailq} (docker-mailserver users know it from
 * {@code postqueue -p}).
 */
final class QueueCommand {

    static final String USAGE = Usage.command("./mailfleet queue <list|show|flush|delete|bounce> [ARGUMENTS]",
            "list [--sender S] [--recipient R] [--status deferred|active|reporting] [--older-than AGE]\n"
                    + "             List queued messages like `mailq`; AGE is e.g. 90s, 30m, 4h, 2d.\n"
                    + "show <ID>     Envelope, every delivery target with its state, attempts, next attempt\n"
                    + "             and the last reply of the remote server.\n"
                    + "flush [<ID>]  Retry deferred mail now (every message, or one), like `postqueue -f`.\n"
                    + "delete <ID>   Remove a message from the queue without notice, like `postsuper -d`.\n"
                    + "bounce <ID>   Return a message to its sender with a delivery status notification.");

    private static final DateTimeFormatter ARRIVAL =
            DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final Supplier<ApiClient> api;

    QueueCommand(PrintStream out, Supplier<ApiClient> api) {
        this.out = out;
        this.api = api;
    }

    /** Runs the subcommand; {@code args} follow the word {@code queue}. */
    void run(List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.size() > 1 ? args.subList(1, args.size()) : List.of();
        switch (sub) {
            case "", "help" -> out.print(USAGE);
            case "list" -> list(rest);
            case "show" -> show(id(rest, "show"));
            case "flush" -> flush(rest);
            case "delete" -> act(id(rest, "delete"), "DELETE", "", "deleted");
            case "bounce" -> act(id(rest, "bounce"), "POST", "/bounce", "returned to the sender");
            default -> throw new CliFailure("The command 'queue " + String.join(" ", args) + "' is invalid.\n"
                    + "Use `./mailfleet queue help` to get an overview of the queue commands.", 2);
        }
    }

    private void list(List<String> args) {
        List<String> query = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String key = switch (a) {
                case "--sender" -> "sender";
                case "--recipient" -> "recipient";
                case "--status" -> "status";
                case "--older-than" -> "older-than";
                default -> throw new CliFailure("unknown option '" + a + "' for queue list", 1,
                        "Usage: ./mailfleet queue list [--sender S] [--recipient R] [--status S] [--older-than AGE]\n");
            };
            if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                throw new CliFailure("option " + a + " needs a value", 1);
            }
            query.add(key + "=" + ApiClient.seg(args.get(++i)));
        }
        JsonNode list = api.get().get("/api/v1/queue" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (list.isEmpty()) {
            out.println(query.isEmpty() ? "Mail queue is empty" : "No queued message matches");
            return;
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
    }

    private void show(String id) {
        JsonNode m = api.get().get("/api/v1/queue/" + ApiClient.seg(id));
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

    private void flush(List<String> args) {
        if (args.isEmpty()) {
            JsonNode r = api.get().send("POST", "/api/v1/queue/flush", null);
            out.println("INFO: " + r.path("flushed").asInt() + " queued message(s) scheduled for immediate delivery");
            return;
        }
        act(args.get(0), "POST", "/flush", "scheduled for immediate delivery");
    }

    private void act(String id, String method, String suffix, String done) {
        api.get().send(method, "/api/v1/queue/" + ApiClient.seg(id) + suffix, null);
        out.println("INFO: " + id.toUpperCase(Locale.ROOT) + " " + done);
    }

    private static String id(List<String> args, String verb) {
        if (args.isEmpty() || args.get(0).isBlank()) {
            throw new CliFailure("You need to specify a queue ID: run './mailfleet queue list' to see them", 1,
                    "Usage: ./mailfleet queue " + verb + " <ID>\n");
        }
        return args.get(0).strip();
    }
}
