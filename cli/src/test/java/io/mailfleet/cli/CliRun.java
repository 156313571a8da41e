package io.mailfleet.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One in-process run of the {@code mailfleet} command line and what it printed: how tests call a
 * command ({@code cli(env, "email", "add", ...)}) and check its exit code and output.
 */
public record CliRun(int code, String out, String err) {

    /** Runs {@code ./mailfleet args} with {@code env} and nothing on standard input. */
    public static CliRun cli(Map<String, String> env, String... args) {
        return withInput("", env, args);
    }

    /** Runs {@code ./mailfleet args} with {@code env}, prompts answered from {@code stdin}. */
    public static CliRun withInput(String stdin, Map<String, String> env, String... args) {
        return capture((out, err) -> Cli.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                out, err, env));
    }

    /** Runs {@code command} with its standard output and error captured; it returns the exit code. */
    public static CliRun capture(BiFunction<PrintStream, PrintStream, Integer> command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = command.apply(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
