package io.mailfleet.cli;

import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.protocols.tls.TlsConfigurationException;
import org.slf4j.LoggerFactory;

import io.mailfleet.cli.Cli;
import io.mailfleet.cli.CliContext;
import io.mailfleet.cli.UsageErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ./mailfleet serve [options]}: parses the options, loads the configuration and starts a node. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet serve [--config FILE] [--data DIR] [--port-offset N]",
                "                      [--create-account ADDRESS [--password PASSWORD]]"},
        description = "Start a node; it runs until Ctrl-C or SIGTERM.",
        exitCodeList = {"0:the node is running (or help was printed)",
                "1:a bad option, or the node could not start (e.g. a port in use)",
                "2:a configuration or TLS configuration error"},
        exitCodeOnInvalidInput = 1)
public final class ServeCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (HOCON); also MAILFLEET_CONFIG")
    private Path configFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory; also MAILFLEET_DATA (default ./data)")
    private String dataDir;

    // a string: the configuration reader checks it, naming the key, as for MAILFLEET_PORT_OFFSET
    @Option(names = "--port-offset", paramLabel = "N",
            description = "add N to every mail port (25 -> 25+N, ...); also MAILFLEET_PORT_OFFSET")
    private String portOffset;

    @Option(names = "--create-account", paramLabel = "ADDRESS",
            description = "create this account at start if missing and print its password")
    private String account;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "password for --create-account (default: a generated one)")
    private String password;

    /** docker-mailserver style {@code serve help}. */
    @Parameters(arity = "0..1", hidden = true)
    private String word;

    ServeCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Returns 0 when the server is running, or a non-zero exit code after printing why not. */
    public static int run(String[] args, Map<String, String> processEnv) {
        CliContext ctx = new CliContext(System.in, System.out, System.err, processEnv);
        return Cli.commandLine(new ServeCommand(ctx), ctx).execute(args);
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        String message = problem.getMessage();
        if (problem instanceof CommandLine.UnmatchedArgumentException u) {
            message = "unknown option " + u.getUnmatched().get(0);
        } else if (problem instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec option) {
            message = "option " + option.longestName() + " needs a value";
        }
        ctx.err().println(message);
        ctx.err().print(problem.getCommandLine().getUsageMessage());
        return 1;
    }

    @Override
    public Integer call() {
        PrintStream out = ctx.out();
        PrintStream err = ctx.err();
        if (word != null) {
            if (word.equals("help")) {
                out.print(spec.commandLine().getUsageMessage());
                return 0;
            }
            err.println("unknown option " + word);
            return 1;
        }
        Map<String, String> env = new HashMap<>(ctx.env());
        if (dataDir != null) {
            env.put("MAILFLEET_DATA", dataDir);
        }
        if (portOffset != null) {
            env.put("MAILFLEET_PORT_OFFSET", portOffset);
        }
        FirstAccount first = null;
        if (account != null) {
            try {
                MailAddress.parse(account);
            } catch (InvalidAddressException e) {
                err.println("--create-account: " + e.getMessage());
                return 1;
            }
            first = password == null ? FirstAccount.withGeneratedPassword(account)
                    : new FirstAccount(account, password, false);
            if (first.password().isEmpty()) {
                err.println("--password: Password must not be empty");
                return 1;
            }
        } else if (password != null) {
            err.println("--password only goes with --create-account");
            return 1;
        }
        LoadedConfig loaded;
        try {
            boolean tlsChosen = MailfleetConfig.chosen(configFile, env, "mailfleet.tls.type");
            if (!tlsChosen) {
                // a quick start that mutt, Thunderbird and fetchmail accept (after trusting the certificate)
                env.put("SSL_TYPE", "self-signed");
            }
            loaded = MailfleetConfig.load(configFile, env);
            if (!tlsChosen) {
                err.println("mailfleet: SSL_TYPE is not set: using a self-signed certificate (set SSL_TYPE, "
                        + "even empty for no TLS, to choose)");
            }
        } catch (ConfigError e) {
            err.println("mailfleet: configuration error: " + e.getMessage());
            return 2;
        }
        setLogLevel(loaded.settings().logLevel());
        try {
            MailfleetServer server = MailfleetServer.start(loaded, first);
            out.println("mailfleet node " + loaded.settings().hostname() + " is running (data in "
                    + loaded.settings().dataDir().toAbsolutePath() + "); stop with Ctrl-C or SIGTERM");
            exitWhenStopped(server);
            return 0;
        } catch (TlsConfigurationException e) {
            err.println("mailfleet: TLS configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            err.println("mailfleet: could not start: " + root.getMessage());
            if (root instanceof java.net.BindException) {
                List<String> busy = BusyPorts.describe(loaded);
                busy.forEach(b -> err.println("mailfleet: " + b));
                err.println(busy.isEmpty()
                        ? "mailfleet: a port is in use or needs root: --port-offset N moves the mail ports;"
                                + " the settings named in docs/configuration.md move the others"
                        : "mailfleet: change the setting or environment variable named above"
                                + " (--port-offset N moves the mail ports only)");
            }
            LoggerFactory.getLogger(ServeCommand.class).debug("start-up failure", e);
            return 1;
        }
    }

    /**
     * Exits the JVM once the node has stopped: 1 after the wait for a first account ran out, so a
     * supervisor restarts it as docker-mailserver's container is. A non-daemon thread, or the JVM could
     * end with 0 as soon as the node's own threads are gone.
     */
    private static void exitWhenStopped(MailfleetServer server) {
        Thread exit = new Thread(() -> {
            server.terminated().join();
            System.exit(server.stoppedForWantOfAccount() ? 1 : 0);
        }, "mailfleet-exit");
        exit.setDaemon(false);
        exit.start();
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            Level l = Level.toLevel(level, Level.INFO);
            ctx.getLogger("io.mailfleet").setLevel(l);
        }
    }
}
