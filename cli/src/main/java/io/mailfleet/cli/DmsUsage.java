package io.mailfleet.cli;

/** The exit codes and notes of docker-mailserver's {@code setup} man pages, shared by every administration subcommand. */
final class DmsUsage {

    private DmsUsage() {
    }

    static final String SUCCESS = "0:success; also with 'help' as the first argument, -h or --help";
    static final String ERROR = "1:wrong or erroneous arguments (the usage is printed too), or the node cannot be reached";
    static final String INVALID = "2:unknown subcommand";
    /** docker-mailserver's note under the commands that take a password (it may be typed at a prompt). */
    static final String PASSWORD_NOTE = "\n\n" + """
            To avoid a password being logged in the command history of your shell,
            you may omit it, you'll be prompted to input the password instead.""";
}
