package io.mailfleet.cli;

/** Ends a CLI command with a message on stderr and an exit status (1 = error, 2 = invalid command). */
final class CliFailure extends RuntimeException {

    final int exitCode;
    final String usage;

    CliFailure(String message, int exitCode) {
        this(message, exitCode, null);
    }

    CliFailure(String message, int exitCode, String usage) {
        super(message);
        this.exitCode = exitCode;
        this.usage = usage;
    }
}
