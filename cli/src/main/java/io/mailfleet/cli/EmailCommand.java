package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ./mailfleet email add|update|del|restrict|list}: docker-mailserver's account commands, and {@code app-password}. */
@Command(name = "email", mixinStandardHelpOptions = true, description = "Add, update, delete, restrict and list mail accounts.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = {AppPasswordCommand.class, HelpSubcommand.class})
final class EmailCommand implements java.util.concurrent.Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    EmailCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet email add <MAIL ACCOUNT> [<PASSWORD>]",
            description = "Add a new mail account (email address)." + DmsUsage.PASSWORD_NOTE,
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int add(@Parameters(arity = "0..*", paramLabel = "ARGUMENTS", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        return change(args, true, "add");
    }

    @Command(name = "update", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet email update <MAIL ACCOUNT> [<PASSWORD>]",
            description = "Update the password for a mail account." + DmsUsage.PASSWORD_NOTE,
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int update(@Parameters(arity = "0..*", paramLabel = "ARGUMENTS", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        return change(args, false, "update");
    }

    private int change(List<String> args, boolean create, String name) {
        String usage = Cli.usage(spec, name);
        if (DmsArgs.helpRequested(args, 1, usage, ctx)) {
            return 0;
        }
        String address = args.get(0);
        if (!address.contains("@")) {
            throw new CliFailure("'" + address + "' should include the domain (eg: user@example.com)", 1, usage);
        }
        String password = String.join(" ", args.subList(1, args.size()));
        if (password.isEmpty()) {
            password = ctx.promptPassword();
            if (password.isEmpty()) {
                throw new CliFailure("Password must not be empty", 1);
            }
        }
        JsonNode r = create
                ? ctx.api().send("POST", "/api/v1/accounts", ApiClient.body("address", address, "password", password))
                : ctx.api().send("PUT", "/api/v1/accounts/" + ApiClient.seg(address) + "/password",
                        ApiClient.body("password", password));
        ctx.warnings(r);
        return 0;
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet email del [ OPTIONS ] <MAIL ACCOUNT> [<EXTRA MAIL ACCOUNTS> ... ]",
            description = """
                    Delete a mail account, including associated data (aliases, quotas, restrictions).
                    -y also deletes all its mail (as docker-mailserver does when told yes); without -y the
                    mail is kept. Mailfleet never prompts here.""",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int del(@Option(names = {"-y", "-Y"}, description = "also delete the account's mail") boolean withMail,
            @Parameters(arity = "0..*", paramLabel = "MAIL ACCOUNT", hidden = true) List<String> addresses) {
        addresses = DmsArgs.orEmpty(addresses);
        if (DmsArgs.helpRequested(addresses, 1, Cli.usage(spec, "del"), ctx)) {
            return 0;
        }
        for (String a : addresses) {
            ctx.api().send("DELETE", "/api/v1/accounts/" + ApiClient.seg(a) + (withMail ? "?purge-mailbox=true" : ""), null);
            ctx.out().println("INFO: '" + a + "' and associated data deleted" + (withMail ? ", mailbox emptied" : ""));
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet email list",
            description = "List every mail account with its quota usage (when quotas are enabled) and the aliases pointing at it.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int list(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        if (DmsArgs.helpRequested(args, 0, Cli.usage(spec, "list"), ctx)) {
            return 0;
        }
        JsonNode accounts = ctx.api().get("/api/v1/accounts");
        if (accounts.isEmpty()) {
            throw new CliFailure("no accounts exist, nothing to list", 1);
        }
        for (JsonNode a : accounts) {
            StringBuilder line = new StringBuilder("* ").append(a.path("address").asText());
            JsonNode q = a.path("quota");
            if (q.isObject()) {
                long limit = q.path("limitBytes").asLong();
                line.append(" ( ").append(IecSize.format(q.path("usedBytes").asLong())).append(" / ")
                        .append(limit <= 0 ? "~" : IecSize.format(limit)).append(" ) [")
                        .append(q.path("percent").asInt()).append("%]");
            }
            List<String> aliases = new ArrayList<>();
            a.path("aliases").forEach(n -> aliases.add(n.asText()));
            if (!aliases.isEmpty()) {
                line.append("\n    [ aliases -> ").append(String.join(", ", aliases)).append(" ]");
            }
            ctx.out().println(line);
            ctx.out().println();
        }
        return 0;
    }

    @Command(name = "restrict", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet email restrict <add|del|list> <send|receive> [<email@domain.com>]",
            description = "Deny (add) or allow again (del) an address to send or receive mail, or list the denied addresses.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int restrict(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String command = args.isEmpty() ? "" : args.get(0);
        if (command.equals("help")) {
            ctx.out().print(Cli.usage(spec, "restrict"));
            return 0;
        }
        String direction = args.size() > 1 ? args.get(1).toLowerCase(Locale.ROOT) : "";
        String usageLine = "INFO: Usage: ./mailfleet email restrict <add|del|list> <send|receive> [<email@domain.com>]\n";
        if (!direction.equals("send") && !direction.equals("receive")) {
            throw new CliFailure("Unknown or missing second parameter '" + direction + "' - specify 'send' or 'receive'",
                    1, usageLine);
        }
        String user = args.size() > 2 ? args.get(2) : "";
        if (!List.of("add", "del", "list").contains(command)) {
            throw new CliFailure("Unknown or missing command '" + command + "' - specify 'add', 'del' or 'list'", 1, usageLine);
        }
        if (user.isEmpty() && !command.equals("list")) {
            user = ctx.promptLine("Provide a username: ");
            if (user.isEmpty()) {
                throw new CliFailure("User must not be empty", 1);
            }
        }
        String base = "/api/v1/restrictions/" + direction;
        switch (command) {
            case "add" -> ctx.api().send("POST", base, ApiClient.body("address", user));
            case "del" -> ctx.api().send("DELETE", base + "?address=" + ApiClient.seg(user), null);
            default -> {
                JsonNode list = ctx.api().get(base);
                if (list.isEmpty()) {
                    ctx.out().println("INFO: Everyone is allowed to " + direction + " mails");
                }
                list.forEach(n -> ctx.out().println(n.asText() + " \t\t REJECT"));
            }
        }
        return 0;
    }

    /** {@code ./mailfleet email} without a subcommand is as invalid as an unknown one. */
    @Override
    public Integer call() {
        throw DmsArgs.invalid("email");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem.getCommandLine().getCommandName().equals("del")
                && problem instanceof CommandLine.UnmatchedArgumentException u && u.getUnmatched().get(0).startsWith("-")) {
            // docker-mailserver names the first unknown letter of a short option cluster such as -yx
            String given = u.getUnmatched().get(0);
            String letters = given.substring(1).replaceAll("[yY]", "");
            String option = given.startsWith("--") || letters.isEmpty() ? given : letters.substring(0, 1);
            return ctx.fail(new CliFailure("The option '" + option + "' is unknown", 1, Cli.usage(spec, "del")));
        }
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet help` to get an overview of all commands."));
    }
}
