package io.mailfleet.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command whose subcommands do the work ({@code ./mailfleet <name> <verb>}): alone it prints its
 * usage, and a usage error below it points at {@code ./mailfleet <name> help}.
 */
abstract class CommandGroup implements Callable<Integer>, UsageErrors {

    protected final CliContext ctx;
    protected final PrintStream out;
    private final String name;

    @Spec
    protected CommandSpec spec;

    /** @param name the command's name, as typed after {@code ./mailfleet} */
    CommandGroup(CliContext ctx, String name) {
        this.ctx = ctx;
        this.out = ctx.out();
        this.name = name;
    }

    @Override
    public Integer call() {
        out.print(spec.commandLine().getUsageMessage());
        return 0;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet " + name + " help` to get an overview of the " + name
                + " commands."));
    }
}
