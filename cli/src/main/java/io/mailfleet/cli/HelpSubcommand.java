package io.mailfleet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code <group> help [<subcommand>]}: the usage of the group or of one subcommand, on stdout, exit 0.
 * An unknown subcommand or option is reported by the group, like any other unknown word.
 */
@Command(name = "help", mixinStandardHelpOptions = true, customSynopsis = "    help [<SUBCOMMAND>]",
        description = "Print the usage of this command, or of one of its subcommands.")
public final class HelpSubcommand implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SUBCOMMAND", description = "the subcommand to describe")
    private String subcommand;

    HelpSubcommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        CommandLine group = spec.parent().commandLine();
        if (subcommand == null) {
            ctx.out().print(group.getUsageMessage());
            return 0;
        }
        CommandLine sub = group.getSubcommands().get(subcommand);
        if (sub == null) {
            return Cli.reportByNearest(new CommandLine.UnmatchedArgumentException(spec.commandLine(), List.of(subcommand)), ctx);
        }
        ctx.out().print(sub.getUsageMessage());
        return 0;
    }
}
