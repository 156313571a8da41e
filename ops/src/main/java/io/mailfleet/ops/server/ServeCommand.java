package io.mailfleet.ops.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;
import io.mailfleet.ops.config.ConfigError;
import io.mailfleet.ops.config.LoadedConfig;
import io.mailfleet.ops.config.MailfleetConfig;
import io.mailfleet.protocols.tls.TlsConfigurationException;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@code ./mailfleet serve [options]}: parses the options, loads the configuration and starts a node. */
public final class ServeCommand {

    static final String USAGE = """
            Usage: mailfleet serve [--config FILE] [--data DIR] [--port-offset N]
                                   [--create-account ADDRESS [--password PASSWORD]]

              --config FILE            configuration file (HOCON); also MAILFLEET_CONFIG
              --data DIR               data directory; also MAILFLEET_DATA (default ./data)
              --port-offset N          add N to every mail port (25 -> 25+N, ...); also MAILFLEET_PORT_OFFSET
              --create-account ADDR    create this account at start if missing and print its password
              --password PASSWORD      password for --create-account (default: a generated one)
            """;

    private ServeCommand() {
    }

    /** Returns 0 when the server is running, or a non-zero exit code after printing why not. */
    public static int run(String[] args, Map<String, String> processEnv) {
        Map<String, String> env = new HashMap<>(processEnv);
        Path configFile = null;
        String account = null;
        String password = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help") || a.equals("help")) {
                System.out.print(USAGE);
                return 0;
            }
            if (i + 1 >= args.length) {
                System.err.println("option " + a + " needs a value\n" + USAGE);
                return 1;
            }
            String v = args[++i];
            switch (a) {
                case "--config" -> configFile = Path.of(v);
                case "--data" -> env.put("MAILFLEET_DATA", v);
                case "--port-offset" -> env.put("MAILFLEET_PORT_OFFSET", v);
                case "--create-account" -> account = v;
                case "--password" -> password = v;
                default -> {
                    System.err.println("unknown option " + a + "\n" + USAGE);
                    return 1;
                }
            }
        }
        FirstAccount first = null;
        if (account != null) {
            try {
                MailAddress.parse(account);
            } catch (InvalidAddressException e) {
                System.err.println("--create-account: " + e.getMessage());
                return 1;
            }
            first = password == null ? FirstAccount.withGeneratedPassword(account)
                    : new FirstAccount(account, password, false);
            if (first.password().isEmpty()) {
                System.err.println("--password: Password must not be empty");
                return 1;
            }
        } else if (password != null) {
            System.err.println("--password only goes with --create-account");
            return 1;
        }
        LoadedConfig loaded;
        try {
            loaded = MailfleetConfig.load(configFile, env);
        } catch (ConfigError e) {
            System.err.println("mailfleet: configuration error: " + e.getMessage());
            return 2;
        }
        setLogLevel(loaded.settings().logLevel());
        try {
            MailfleetServer server = MailfleetServer.start(loaded, first);
            System.out.println("mailfleet node " + loaded.settings().hostname() + " is running (data in "
                    + loaded.settings().dataDir().toAbsolutePath() + "); stop with Ctrl-C or SIGTERM");
            server.terminated().whenComplete((d, e) -> System.exit(0));
            return 0;
        } catch (TlsConfigurationException e) {
            System.err.println("mailfleet: TLS configuration error: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            System.err.println("mailfleet: could not start: " + root.getMessage()
                    + (root instanceof java.net.BindException ? " (a port is in use or needs root; try --port-offset 10000)" : ""));
            LoggerFactory.getLogger(ServeCommand.class).debug("start-up failure", e);
            return 1;
        }
    }

    private static void setLogLevel(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            Level l = Level.toLevel(level, Level.INFO);
            ctx.getLogger("io.mailfleet").setLevel(l);
        }
    }
}
