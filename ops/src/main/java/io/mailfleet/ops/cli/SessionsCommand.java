package io.mailfleet.ops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code ./mailfleet sessions [list [ACCOUNT]] | kick ACCOUNT [ID]}: live IMAP, POP3 and ManageSieve
 * sessions of the whole cluster (Dovecot's {@code doveadm who} and {@code doveadm kick}).
 */
final class SessionsCommand {

    static final String USAGE = Usage.command("./mailfleet sessions [list [<ACCOUNT>] | kick <ACCOUNT> [<ID>]]",
            "list [<ACCOUNT>]    Live sessions on every node of the cluster (all accounts, or one):\n"
                    + "                    id, account, protocol, client address, node and age, like `doveadm who`.\n"
                    + "kick <ACCOUNT> [<ID>]\n"
                    + "                    Disconnect every session of the account, or only session <ID>\n"
                    + "                    (IMAP clients get `* BYE`), like `doveadm kick`.");

    private final PrintStream out;
    private final Supplier<ApiClient> api;

    SessionsCommand(PrintStream out, Supplier<ApiClient> api) {
        this.out = out;
        this.api = api;
    }

    /** Runs the subcommand; {@code args} follow the word {@code sessions}. */
    void run(List<String> args) {
        String sub = args.isEmpty() ? "list" : args.get(0);
        List<String> rest = args.size() > 1 ? args.subList(1, args.size()) : List.of();
        switch (sub) {
            case "help" -> out.print(USAGE);
            case "list" -> list(rest);
            case "kick" -> kick(rest);
            default -> throw new CliFailure("The command 'sessions " + String.join(" ", args) + "' is invalid.\n"
                    + "Use `./mailfleet sessions help` to get an overview of the sessions commands.", 2);
        }
    }

    private void list(List<String> args) {
        if (args.size() > 1) {
            throw new CliFailure("too many arguments for sessions list", 1,
                    "Usage: ./mailfleet sessions list [<ACCOUNT>]\n");
        }
        String account = args.isEmpty() ? "" : args.get(0).strip();
        JsonNode list = api.get().get("/api/v1/sessions" + (account.isEmpty() ? "" : "?account=" + ApiClient.seg(account)));
        if (list.isEmpty()) {
            out.println(account.isEmpty() ? "No live session" : "No live session of " + account);
            return;
        }
        String format = "%-16s  %-30s  %-11s  %-39s  %-28s  %s%n";
        out.printf(format, "ID", "ACCOUNT", "PROTOCOL", "REMOTE IP", "NODE", "AGE");
        for (JsonNode s : list) {
            out.printf(format, s.path("id").asText(), s.path("account").asText(), s.path("protocol").asText(),
                    s.path("remoteIp").asText(), s.path("node").asText(), age(s.path("ageSeconds").asLong()));
        }
        out.println("-- " + list.size() + (list.size() == 1 ? " session" : " sessions"));
    }

    private void kick(List<String> args) {
        if (args.isEmpty() || args.get(0).isBlank()) {
            throw new CliFailure("You need to specify the account whose sessions to disconnect", 1,
                    "Usage: ./mailfleet sessions kick <ACCOUNT> [<ID>]\n");
        }
        if (args.size() > 2) {
            throw new CliFailure("too many arguments for sessions kick", 1,
                    "Usage: ./mailfleet sessions kick <ACCOUNT> [<ID>]\n");
        }
        String account = args.get(0).strip();
        String path = "/api/v1/sessions/" + ApiClient.seg(account);
        if (args.size() == 2) {
            JsonNode r = api.get().send("DELETE", path + "/" + ApiClient.seg(args.get(1).strip()), null);
            out.println("INFO: session " + r.path("id").asText() + " of " + r.path("account").asText()
                    + " disconnected");
        } else {
            JsonNode r = api.get().send("DELETE", path, null);
            int n = r.path("kicked").asInt();
            out.println("INFO: " + n + (n == 1 ? " session" : " sessions") + " of " + r.path("account").asText()
                    + " disconnected");
        }
    }

    private static String age(long seconds) {
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 7200) {
            return seconds / 60 + "m";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + "h";
        }
        return seconds / 86_400 + "d";
    }
}
