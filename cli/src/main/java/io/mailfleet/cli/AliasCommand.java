package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./mailfleet alias add|del|list}: docker-mailserver's alias commands. */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Add, remove and list aliases.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class AliasCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    AliasCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet alias add <MAIL ALIAS> <RECIPIENT>",
            description = """
                    Add an alias for a recipient (a mail account).

                    Alias and recipient domains can be different.
                    The recipient domain can be external (eg: @gmail.com).
                    Multiple recipients are separated by comma.""",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int add(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        return change(DmsArgs.orEmpty(args), true);
    }

    @Command(name = "del", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet alias del <MAIL ALIAS> <RECIPIENT>",
            description = """
                    Remove a mail account (the recipient) from an existing alias.
                    If the alias has no more recipients, the alias will also be removed.""",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int del(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        return change(DmsArgs.orEmpty(args), false);
    }

    private int change(List<String> args, boolean add) {
        String usage = Cli.usage(spec, add ? "add" : "del");
        if (DmsArgs.helpRequested(args, 2, usage, ctx)) {
            return 0;
        }
        String alias = args.get(0);
        String recipient = args.get(1);
        if (alias.isEmpty()) {
            throw new CliFailure("No alias specified", 1, usage);
        }
        if (recipient.isEmpty()) {
            throw new CliFailure("No recipient specified", 1, usage);
        }
        if (add) {
            ctx.api().send("POST", "/api/v1/aliases", ApiClient.body("alias", alias, "target", recipient));
        } else {
            ctx.api().send("DELETE", "/api/v1/aliases?alias=" + ApiClient.seg(alias) + "&target=" + ApiClient.seg(recipient), null);
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet alias list", description = "List every alias with its recipients.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int list(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        if (DmsArgs.helpRequested(DmsArgs.orEmpty(args), 0, Cli.usage(spec, "list"), ctx)) {
            return 0;
        }
        JsonNode aliases = ctx.api().get("/api/v1/aliases");
        if (aliases.isEmpty()) {
            throw new CliFailure("no aliases exist, nothing to list", 1);
        }
        for (JsonNode a : aliases) {
            List<String> targets = new ArrayList<>();
            a.path("targets").forEach(n -> targets.add(n.asText()));
            ctx.out().println("* " + a.path("alias").asText() + " " + String.join(",", targets));
            ctx.out().println();
        }
        return 0;
    }

    @Override
    public Integer call() {
        throw DmsArgs.invalid("alias");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet help` to get an overview of all commands."));
    }
}
