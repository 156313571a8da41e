package io.mailfleet.cli;

import io.mailfleet.server.config.Settings;
import io.mailfleet.server.outbound.RelayFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./mailfleet relay add-domain|add-auth|exclude-domain}: docker-mailserver's relay helpers.
 * They write {@code postfix-relaymap.cf} and {@code postfix-sasl-password.cf} in the directory the
 * node reads them from ({@link RelayFiles#configDir}); the node reloads them when they change.
 * An existing line for the domain is replaced, otherwise one is appended, as DMS does.
 */
@Command(name = "relay", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay <add-domain|add-auth|exclude-domain> [ARGUMENTS]",
        description = {"docker-mailserver's relay helpers: postfix-relaymap.cf and postfix-sasl-password.cf,",
                "reloaded by the node when they change. `./mailfleet relay` alone prints this usage."},
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class RelayCommand implements Callable<Integer>, UsageErrors {

    private final PrintStream out;
    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    RelayCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
    }

    @Override
    public Integer call() {
        out.print(spec.commandLine().getUsageMessage());
        return 0;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet relay help` to get an overview of the relay commands."));
    }

    @Command(name = "add-domain", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]",
            description = {"Send mail from DOMAIN through the relay HOST (port default 25): '@DOMAIN [HOST]:PORT'",
                    "in postfix-relaymap.cf."},
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int addDomain(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        String domain = domain(args, usage);
        String host = args.size() > 1 ? args.get(1).strip() : "";
        if (host.isEmpty()) {
            throw new CliFailure("No relay host specified", 1, usage);
        }
        if (!host.matches("[A-Za-z0-9._-]+|\\[[A-Za-z0-9._:-]+]")) {
            throw new CliFailure("Invalid relay host '" + host + "': expected a host name or IP address", 1, usage);
        }
        String port = args.size() > 2 ? args.get(2).strip() : "25";
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new CliFailure("Port must be a number (1-65535), not '" + port + "'", 1, usage);
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        Path file = upsert(RelayFiles.RELAY_MAP, domain, "@" + domain + "\t\t[" + bare + "]:" + port);
        out.println("INFO: mail from '" + domain + "' is relayed through [" + bare + "]:" + port + " (" + file + ")");
        return 0;
    }

    @Command(name = "add-auth", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]",
            description = {"Credentials for the relay of DOMAIN in postfix-sasl-password.cf (prompted when omitted).",
                    "While any relay credentials exist, every relay connection needs STARTTLS and AUTH."},
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int addAuth(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        String domain = domain(args, usage);
        String user = args.size() > 1 ? args.get(1).strip() : "";
        if (user.isEmpty()) {
            throw new CliFailure("No username specified", 1, usage);
        }
        if (user.contains(":") || user.matches(".*\\s.*")) {
            throw new CliFailure("Invalid username '" + user + "': it must not contain ':' or spaces", 1, usage);
        }
        String password = args.size() > 2 ? String.join(" ", args.subList(2, args.size())) : ctx.promptPassword();
        if (password.isEmpty()) {
            throw new CliFailure("No password specified", 1, usage);
        }
        if (password.contains("\n")) {
            throw new CliFailure("The password must not contain a line break", 1);
        }
        Path file = upsert(RelayFiles.SASL_PASSWORDS, domain, "@" + domain + "\t\t" + user + ":" + password);
        out.println("INFO: relay credentials for '" + domain + "' saved as user '" + user + "' (" + file + ")");
        return 0;
    }

    @Command(name = "exclude-domain", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay exclude-domain <DOMAIN>",
            description = "Deliver mail from DOMAIN directly instead of through RELAY_HOST ('@DOMAIN' opt-out line).",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int excludeDomain(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay exclude-domain <DOMAIN>\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        String domain = domain(args, usage);
        Path file = upsert(RelayFiles.RELAY_MAP, domain, "@" + domain);
        out.println("INFO: mail from '" + domain + "' is delivered directly, not through RELAY_HOST (" + file + ")");
        return 0;
    }

    private static String domain(List<String> args, String usage) {
        String d = args.isEmpty() ? "" : args.get(0).strip().toLowerCase(Locale.ROOT);
        if (d.startsWith("@")) {
            d = d.substring(1);
        }
        if (d.isEmpty()) {
            throw new CliFailure("No domain specified", 1, usage);
        }
        if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new CliFailure("Invalid domain '" + args.get(0) + "': expected a domain name such as example.com", 1, usage);
        }
        return d;
    }

    /** Replaces the line of {@code @domain} (DMS: {@code sed "s|^@DOMAIN.*|...|"}) or appends one; atomic rename. */
    private Path upsert(String name, String domain, String line) {
        Settings s = ctx.loaded().settings();
        Path dir = RelayFiles.configDir(s.dmsConfigDir(), s.dataDir());
        Path file = dir.resolve(name);
        try {
            io.mailfleet.core.files.PrivateFiles.createDirectories(dir);
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            List<String> updated = new ArrayList<>();
            boolean replaced = false;
            for (String l : lines) {
                String key = l.strip().split("\\s+", 2)[0];
                if (key.equalsIgnoreCase("@" + domain)) {
                    if (!replaced) {
                        updated.add(line);
                        replaced = true;
                    }
                } else {
                    updated.add(l);
                }
            }
            if (!replaced) {
                updated.add(line);
            }
            io.mailfleet.core.files.PrivateFiles.writeAtomically(file,
                    updated.stream().map(l -> l + "\n").collect(java.util.stream.Collectors.joining()));
            return file;
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e.getMessage(), 1);
        }
    }
}
