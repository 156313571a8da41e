package io.mailfleet.cli;

import io.mailfleet.cli.cluster.ClusterCommand;
import io.mailfleet.cli.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet}: the root of every command. The administration commands mirror
 * docker-mailserver's {@code setup} (same arguments, messages and exit codes) and talk to the
 * running node through the management API; {@code serve}, {@code cluster} and {@code bench} run here.
 */
@Command(name = "mailfleet", mixinStandardHelpOptions = true,
        headerHeading = "MAILFLEET(1)%n%nNAME%n    ",
        header = "mailfleet - Mailfleet administration CLI (docker-mailserver `setup` compatible)",
        customSynopsis = {
                "    ./mailfleet [ --config FILE ] COMMAND [ help | -h | --help | ARGUMENTS... ]",
                "",
                "    COMMAND := { serve | email | alias | quota | fail2ban | queue | sessions | rate-limits | blobs",
                "                 | backup | import | config | relay | sendmail | fetchmail | spam | cluster | bench | help }",
                "                 SUBCOMMAND"},
        description = """
                `./mailfleet serve` starts a node. Every other administration command talks to the running
                node through its management API; the address and token come from the same configuration
                the node uses (--config FILE or MAILFLEET_CONFIG, environment variables, and the
                token file <data-dir>/api-token).

                Every command and subcommand prints its usage with -h or --help; most also when you
                append 'help'. For example: './mailfleet email add help'""",
        footerHeading = "%n[SUB]COMMANDS%n",
        footer = """
                    COMMAND email :=
                        ./mailfleet email add <EMAIL ADDRESS> [<PASSWORD>]
                        ./mailfleet email update <EMAIL ADDRESS> [<PASSWORD>]
                        ./mailfleet email del [ OPTIONS... ] <EMAIL ADDRESS> [ <EMAIL ADDRESS>... ]
                        ./mailfleet email restrict <add|del|list> <send|receive> [<EMAIL ADDRESS>]
                        ./mailfleet email list

                    COMMAND alias :=
                        ./mailfleet alias add <EMAIL ADDRESS> <RECIPIENT>
                        ./mailfleet alias del <EMAIL ADDRESS> <RECIPIENT>
                        ./mailfleet alias list

                    COMMAND quota :=
                        ./mailfleet quota set <EMAIL ADDRESS> [<QUOTA>]
                        ./mailfleet quota del <EMAIL ADDRESS>

                    COMMAND queue :=
                        ./mailfleet queue list [--sender S] [--recipient R] [--status S] [--older-than AGE]
                        ./mailfleet queue show <ID>
                        ./mailfleet queue flush [<ID>]
                        ./mailfleet queue delete <ID>
                        ./mailfleet queue bounce <ID>

                    COMMAND sessions :=
                        ./mailfleet sessions [list [<ACCOUNT>]]
                        ./mailfleet sessions kick <ACCOUNT> [<ID>]

                    COMMAND rate-limits :=
                        ./mailfleet rate-limits [list]
                        ./mailfleet rate-limits reset <KEY>

                    COMMAND blobs :=
                        ./mailfleet blobs gc [--dry-run]

                    COMMAND backup :=
                        ./mailfleet backup <DIRECTORY>

                    COMMAND config :=
                        ./mailfleet config dkim [ keysize <1024|2048|4096> ] [ keytype <rsa|ed25519> ]
                                                [ selector <SELECTOR> ] [ domain <DOMAIN>[,<DOMAIN>...] ]

                    COMMAND relay :=
                        ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]
                        ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]
                        ./mailfleet relay exclude-domain <DOMAIN>

                    COMMAND sendmail :=
                        ./mailfleet sendmail [-t] [-i] [-f <SENDER>] [-F <NAME>] [--] [<RECIPIENT>...] < message

                    COMMAND fetchmail :=
                        ./mailfleet fetchmail [list]
                        ./mailfleet fetchmail run [<SOURCE>]

                    COMMAND spam :=
                        ./mailfleet spam allow|block add <EMAIL ADDRESS> <SENDER ADDRESS | DOMAIN | *.DOMAIN>
                        ./mailfleet spam allow|block del <EMAIL ADDRESS> <SENDER ADDRESS | DOMAIN | *.DOMAIN>
                        ./mailfleet spam allow|block list <EMAIL ADDRESS>
                        ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>

                EXAMPLES
                    ./mailfleet email add test@example.com
                        Add the email account test@example.com. You will be prompted
                        to input a password afterwards since no password was supplied.""",
        exitCodeList = {
                "0:success (also for help)",
                "1:wrong or erroneous arguments, or the node cannot be reached",
                "2:unknown command"},
        subcommands = {
                ServeCommand.class, EmailCommand.class, AliasCommand.class, QuotaCommand.class, DovecotMasterCommand.class,
                Fail2banCommand.class, QueueCommand.class, SessionsCommand.class, BlobsCommand.class,
                RateLimitsCommand.class, BackupCommand.class, ImportCommand.class, ExportCommand.class, ConfigCommand.class,
                RelayCommand.class, SendmailCommand.class, FetchmailCommand.class, SpamCommand.class, ClusterCommand.class,
                HelpSubcommand.class})
public final class Cli implements Callable<Integer>, UsageErrors {

    /** Commands whose arguments may begin with '-' (passwords, quotas): an unknown option is an argument there. */
    private static final Set<String> FREE_TEXT = Set.of("email add", "email update", "quota set", "relay add-auth",
            "bench smtp", "bench imap", "bench relay", "bench import", "config dkim");

    private static final int USAGE_WIDTH = 110;

    private static final String VERSION = "mailfleet " + java.util.Objects.requireNonNullElse(
            Cli.class.getPackage().getImplementationVersion(), "(development build)");

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE",
            description = "configuration file (HOCON) the node uses; also MAILFLEET_CONFIG")
    void config(Path file) {
        ctx.configFile(file);
    }

    Cli(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Runs a command with prompts read from the console (or stdin); returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, System.in, out, err, env);
    }

    /** Runs a command with prompts answered from {@code in}; returns the exit status. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        CliContext ctx = new CliContext(in, out, err, env);
        return commandLine(new Cli(ctx), ctx).execute(args);
    }

    /** The picocli command line of {@code ./mailfleet} with the streams and environment of {@code ctx}. */
    public static CommandLine commandLine(CliContext ctx) {
        return commandLine(new Cli(ctx), ctx);
    }

    /**
     * A picocli command line for {@code command} (the root or a group run on its own, as tests do):
     * the man-page layout of the help, no colours, no {@code @file} expansion (relay domains start
     * with '@'), and the project's error reporting. Every {@code @Command} declares
     * {@code mixinStandardHelpOptions} for -h/--help; CommandTreeTest walks the tree to hold that.
     * The benchmarks and developer tools join the tree when their modules are on the class path ({@link CommandPlugin}).
     */
    public static CommandLine commandLine(Object command, CliContext ctx) {
        ContextFactory factory = new ContextFactory(ctx);
        CommandLine cl = new CommandLine(command, factory);
        CommandPlugins.addTo(cl, factory);
        cl.setOut(new PrintWriter(ctx.out(), true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(ctx.err(), true, StandardCharsets.UTF_8));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setExpandAtFiles(false);
        cl.setOverwrittenOptionsAllowed(true); // the last --config wins, -y -y is -y, as before
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setUsageHelpLongOptionsMaxWidth(30);
        if (!(command instanceof Cli)) {
            // run on its own (the tests do): the generated synopses still read "./mailfleet cluster ..."
            cl.setCommandName("mailfleet " + cl.getCommandName());
        }
        configure(cl);
        cl.setParameterExceptionHandler((problem, args) -> reportByNearest(problem, ctx));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliFailure f) {
                return ctx.fail(f);
            }
            throw e;
        });
        return cl;
    }

    private static void configure(CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        // -h/--help come from each @Command's mixinStandardHelpOptions: added here, they would shift the
        // arguments of method subcommands
        spec.version(VERSION);
        CommandLine.Model.UsageMessageSpec usage = spec.usageMessage();
        // one line per element: the parent's command list shows the first line only
        usage.description(usage.description().length == 0 ? usage.description()
                : Arrays.stream(String.join("\n", usage.description()).split("\n", -1))
                        .map(line -> line.isEmpty() ? " " : line).toArray(String[]::new));
        usage.synopsisHeading(usage.header().length == 0 ? "USAGE%n" : "%nUSAGE%n")
                .descriptionHeading("%nDESCRIPTION%n")
                .parameterListHeading(spec.positionalParameters().stream().anyMatch(p -> !p.hidden()) ? "%nARGUMENTS%n" : "")
                .optionListHeading("%nOPTIONS%n")
                .commandListHeading("%nCOMMANDS%n")
                .exitCodeListHeading(usage.exitCodeList().isEmpty() ? "" : "%nEXIT STATUS%n");
        if (usage.footerHeading().isEmpty()) {
            usage.footerHeading("%n");
        }
        usage.sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
                help -> help.description().isEmpty() ? "" : indented(help.description()));
        if (usage.customSynopsis().length == 0) {
            // a generated synopsis, indented and runnable as written, like the hand-written ones
            usage.sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                    help -> indented("./" + help.synopsis(0)));
        }
        if (FREE_TEXT.contains(spec.qualifiedName().replaceFirst("^mailfleet ", ""))) {
            cl.setUnmatchedOptionsArePositionalParams(true);
        }
        cl.getSubcommands().values().forEach(Cli::configure);
    }

    private static String indented(String text) {
        return text.indent(4).replaceAll("(?m)[ \t]+$", "");
    }

    /** The nearest command at or above the failing one that reports usage errors answers; else picocli's text. */
    static int reportByNearest(ParameterException parsed, CliContext ctx) {
        // picocli checks required arguments before it complains about unknown ones; the unknown one is the news
        ParameterException problem = parsed;
        if (!(parsed instanceof UnmatchedArgumentException) && !parsed.getCommandLine().getUnmatchedArguments().isEmpty()) {
            problem = new UnmatchedArgumentException(parsed.getCommandLine(), parsed.getCommandLine().getUnmatchedArguments());
        }
        for (CommandSpec s = problem.getCommandLine().getCommandSpec(); s != null; s = s.parent()) {
            if (s.userObject() instanceof UsageErrors errors) {
                return errors.report(problem, ctx);
            }
        }
        CommandLine cl = problem.getCommandLine();
        ctx.err().println(problem.getMessage());
        ctx.err().print(cl.getUsageMessage());
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** {@code ./mailfleet} and {@code ./mailfleet help}: the overview. */
    @Override
    public Integer call() {
        ctx.out().print(spec.commandLine().getUsageMessage());
        return 0;
    }

    /** docker-mailserver's answer to any command it does not know: exit 2. */
    @Override
    public int report(ParameterException problem, CliContext ctx) {
        if (problem instanceof CommandLine.MissingParameterException && problem.getCommandLine().getCommandSpec() == spec) {
            return ctx.fail(new CliFailure("--config needs a file name", 1, spec.commandLine().getUsageMessage()));
        }
        return ctx.fail(invalid(problem, "Use `./mailfleet help` to get an overview of all commands."));
    }

    /** "The command '<words>' is invalid." naming the command's path and what did not match, then {@code hint}. */
    static CliFailure invalid(ParameterException problem, String hint) {
        List<String> words = new ArrayList<>();
        for (CommandSpec s = problem.getCommandLine().getCommandSpec(); s.parent() != null; s = s.parent()) {
            words.add(0, s.name());
        }
        if (problem instanceof UnmatchedArgumentException u) {
            words.addAll(u.getUnmatched());
        }
        return new CliFailure("The command '" + String.join(" ", words) + "' is invalid.\n" + hint, 2);
    }

    /** The usage text of {@code spec}'s subcommand {@code name} (method subcommands have no spec field of their own). */
    static String usage(CommandSpec spec, String name) {
        return spec.subcommands().get(name).getUsageMessage();
    }

    /** Creates commands with the run's {@link CliContext} when they take one. */
    private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                var constructor = cls.getDeclaredConstructor(CliContext.class);
                constructor.setAccessible(true);
                return constructor.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }
}
