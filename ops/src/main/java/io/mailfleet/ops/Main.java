package io.mailfleet.ops;

import io.mailfleet.ops.bench.Bench;
import io.mailfleet.ops.cli.Cli;
import io.mailfleet.ops.server.ServeCommand;

import java.util.Arrays;

/** The single entry point behind {@code ./mailfleet}: {@code serve}, {@code bench}, or an admin verb. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        // On 2 cores the common pool gets parallelism 1, and CompletableFuture then starts a new
        // thread for every async continuation (two per message in profiles). Must run before first use.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(4, Runtime.getRuntime().availableProcessors())));
        }
        int code;
        if (args.length > 0 && args[0].equals("serve")) {
            code = ServeCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv());
            if (code == 0) {
                return; // the server runs until SIGTERM; its own threads keep the JVM alive
            }
        } else if (args.length > 0 && args[0].equals("cluster")) {
            code = io.mailfleet.ops.cluster.ClusterCommand.run(Arrays.copyOfRange(args, 1, args.length),
                    System.out, System.err, System.getenv());
        } else if (args.length > 0 && args[0].equals("bench")) {
            code = Bench.run(Arrays.copyOfRange(args, 1, args.length));
        } else {
            code = Cli.run(args, System.out, System.err, System.getenv());
        }
        System.exit(code);
    }
}
