package io.mailfleet.cli;

import java.util.List;

/** docker-mailserver's {@code _require_n_parameters_or_print_usage}, shared by the account, alias and quota commands. */
final class DmsArgs {

    private DmsArgs() {
    }

    /** 'help' first → usage, true (exit 0); fewer than {@code required} arguments → usage, exit 1; else false. */
    static boolean helpRequested(List<String> args, int required, String usage, CliContext ctx) {
        if (!args.isEmpty() && args.get(0).equals("help")) {
            ctx.out().print(usage);
            return true;
        }
        if (args.size() < required) {
            throw new CliFailure(null, 1, usage);
        }
        return false;
    }

    /** picocli leaves an absent positional list null. */
    static List<String> orEmpty(List<String> args) {
        return args == null ? List.of() : args;
    }

    /** "The command '<words>' is invalid." for a group run without a subcommand. */
    static CliFailure invalid(String words) {
        return new CliFailure("The command '" + words + "' is invalid.\n"
                + "Use `./mailfleet help` to get an overview of all commands.", 2);
    }
}
