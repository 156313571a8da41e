package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./mailfleet sessions [list [ACCOUNT]] | kick ACCOUNT [ID]}: live IMAP, POP3 and ManageSieve
 * sessions of the whole cluster (Dovecot's {@code doveadm who} and {@code doveadm kick}).
 */
@Command(name = "sessions", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet sessions [list [<ACCOUNT>] | kick <ACCOUNT> [<ID>]]",
        description = "Live IMAP, POP3 and ManageSieve sessions of the whole cluster; without a subcommand: list.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class SessionsCommand extends CommandGroup {

    private static final String KICK_USAGE = "Usage: ./mailfleet sessions kick <ACCOUNT> [<ID>]\n";

    SessionsCommand(CliContext ctx) {
        super(ctx, "sessions");
    }

    @Override
    public Integer call() {
        return list(null);
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        boolean extraArgument = problem instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().get(0).startsWith("-");
        if (extraArgument && problem.getCommandLine().getCommandName().equals("list")) {
            return ctx.fail(new CliFailure("too many arguments for sessions list", 1,
                    "Usage: ./mailfleet sessions list [<ACCOUNT>]\n"));
        }
        if (extraArgument && problem.getCommandLine().getCommandName().equals("kick")) {
            return ctx.fail(new CliFailure("too many arguments for sessions kick", 1, KICK_USAGE));
        }
        return super.report(problem, ctx);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet sessions list [<ACCOUNT>]",
            description = {"Live sessions on every node of the cluster (all accounts, or one):",
                    "id, account, protocol, client address, node and age, like `doveadm who`."})
    int list(@Parameters(arity = "0..1", paramLabel = "ACCOUNT", hidden = true) String accountArg) {
        String account = accountArg == null ? "" : accountArg.strip();
        JsonNode list = ctx.api().get("/api/v1/sessions" + (account.isEmpty() ? "" : "?account=" + ApiClient.seg(account)));
        if (list.isEmpty()) {
            out.println(account.isEmpty() ? "No live session" : "No live session of " + account);
            return 0;
        }
        String format = "%-16s  %-30s  %-11s  %-39s  %-28s  %s%n";
        out.printf(format, "ID", "ACCOUNT", "PROTOCOL", "REMOTE IP", "NODE", "AGE");
        for (JsonNode s : list) {
            out.printf(format, s.path("id").asText(), s.path("account").asText(), s.path("protocol").asText(),
                    s.path("remoteIp").asText(), s.path("node").asText(), age(s.path("ageSeconds").asLong()));
        }
        out.println("-- " + list.size() + (list.size() == 1 ? " session" : " sessions"));
        return 0;
    }

    @Command(name = "kick", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet sessions kick <ACCOUNT> [<ID>]",
            description = {"Disconnect every session of the account, or only session <ID>",
                    "(IMAP clients get `* BYE`), like `doveadm kick`."})
    int kick(@Parameters(index = "0", arity = "0..1", paramLabel = "ACCOUNT", hidden = true) String accountArg,
             @Parameters(index = "1", arity = "0..1", paramLabel = "ID", hidden = true) String id) {
        if (accountArg == null || accountArg.isBlank()) {
            throw new CliFailure("You need to specify the account whose sessions to disconnect", 1, KICK_USAGE);
        }
        String account = accountArg.strip();
        String path = "/api/v1/sessions/" + ApiClient.seg(account);
        if (id != null) {
            JsonNode r = ctx.api().send("DELETE", path + "/" + ApiClient.seg(id.strip()), null);
            out.println("INFO: session " + r.path("id").asText() + " of " + r.path("account").asText()
                    + " disconnected");
        } else {
            JsonNode r = ctx.api().send("DELETE", path, null);
            int n = r.path("kicked").asInt();
            out.println("INFO: " + n + (n == 1 ? " session" : " sessions") + " of " + r.path("account").asText()
                    + " disconnected");
        }
        return 0;
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
