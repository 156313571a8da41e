package io.mailfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ./mailfleet config dkim|dns ...}: docker-mailserver's {@code setup config}; alone it prints the dkim usage. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Generate configuration: DKIM keys, the DNS records to publish.",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = {DkimCommand.class, DnsCommand.class, HelpSubcommand.class})
final class ConfigCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    ConfigCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().print(Cli.usage(spec, "dkim"));
        return 0;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet help` to get an overview of all commands."));
    }
}
