package io.mailfleet.cli;

import java.util.List;

/**
 * A command that lives outside the runtime distribution (the benchmarks, the developer tools) and
 * joins the command tree when its module is on the class path: listed in
 * {@code META-INF/services/io.mailfleet.cli.CommandPlugin}, found by {@link Cli#commandLine(Object, CliContext)}.
 */
public interface CommandPlugin {

    /** The command under which this one hangs, as words after {@code ./mailfleet}: empty for a top-level command. */
    List<String> parent();

    /** The picocli command class; created with the run's {@link CliContext} when it has such a constructor. */
    Class<?> command();

    /** The sibling this command is listed before in the help, so the list reads as it always did. */
    String before();
}
