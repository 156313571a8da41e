package io.mailfleet.protocols.smtp.command;

import java.util.Locale;

/**
 * One command line split into its verb (upper case) and its argument (trimmed, empty when none).
 */
public record CommandLine(String verb, String argument) {

    /** Splits at the first space; {@code ""} is the verb of an empty line. */
    public static CommandLine parse(String line) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1).trim();
        return new CommandLine(verb, arg);
    }
}
