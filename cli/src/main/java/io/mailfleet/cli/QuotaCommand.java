package io.mailfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./mailfleet quota set|del}: docker-mailserver's quota commands. */
@Command(name = "quota", mixinStandardHelpOptions = true, description = "Set or remove the storage limit of a mail account.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class QuotaCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    QuotaCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "set", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet quota set <MAIL ACCOUNT> [<QUOTA>]",
            description = """
                    Set a quota (storage limit) for an existing mail account.

                    The quota value is in bytes. You may use a unit suffix for convenience,
                    such as 10M for 10 MebiBytes (MiB). A value of 0 opts out of enforcing quota.""",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int set(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String usage = Cli.usage(spec, "set");
        if (DmsArgs.helpRequested(args, 1, usage, ctx)) {
            return 0;
        }
        String address = account(args.get(0), usage);
        String quota = String.join(" ", args.subList(1, args.size()));
        if (quota.isEmpty()) {
            quota = ctx.promptLine("Enter quota (e.g. 10M): ");
            if (quota.isEmpty()) {
                throw new CliFailure("Quota must not be empty (use 0 for unlimited quota)", 1);
            }
        }
        try {
            ctx.api().send("PUT", "/api/v1/quotas/" + ApiClient.seg(address), ApiClient.body("quota", quota));
        } catch (CliFailure f) {
            if (f.getMessage() != null && f.getMessage().startsWith("Invalid quota format")) {
                throw new CliFailure(f.getMessage(), 1, usage);
            }
            throw f;
        }
        return 0;
    }

    @Command(name = "del", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet quota del <MAIL ACCOUNT>",
            description = "Remove any quota set for an existing mail account.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int del(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String usage = Cli.usage(spec, "del");
        if (DmsArgs.helpRequested(args, 1, usage, ctx)) {
            return 0;
        }
        ctx.api().send("DELETE", "/api/v1/quotas/" + ApiClient.seg(account(args.get(0), usage)), null);
        return 0;
    }

    private static String account(String address, String usage) {
        if (!address.contains("@")) {
            throw new CliFailure("'" + address + "' should include the domain (eg: user@example.com)", 1, usage);
        }
        return address;
    }

    @Override
    public Integer call() {
        throw DmsArgs.invalid("quota");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet help` to get an overview of all commands."));
    }
}
