package io.mailfleet.cli;

import picocli.CommandLine.ParameterException;

/**
 * A command that reports its own usage errors (unknown option, missing value, extra argument) with
 * the messages and exit code it has always used. The nearest such command above the one that failed
 * answers; without one, picocli's message and the usage go to stderr.
 */
public interface UsageErrors {

    /** Prints the problem; returns the exit code. */
    int report(ParameterException problem, CliContext ctx);
}
