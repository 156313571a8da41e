package io.mailfleet.ops.cli;

import io.mailfleet.ops.config.LoadedConfig;
import io.mailfleet.ops.config.Settings;
import io.mailfleet.ops.outbound.RelayFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code ./mailfleet relay add-domain|add-auth|exclude-domain}: docker-mailserver's relay helpers.
 * They write {@code postfix-relaymap.cf} and {@code postfix-sasl-password.cf} in the directory the
 * node reads them from ({@link RelayFiles#configDir}); the node reloads them when they change.
 * An existing line for the domain is replaced, otherwise one is appended, as DMS does.
 */
final class RelayCommand {

    static final String USAGE = Usage.command("./mailfleet relay <add-domain|add-auth|exclude-domain> [ARGUMENTS]",
            "add-domain <DOMAIN> <HOST> [<PORT>]\n"
                    + "    Send mail from DOMAIN through the relay HOST (port default 25): '@DOMAIN [HOST]:PORT'\n"
                    + "    in postfix-relaymap.cf.\n"
                    + "add-auth <DOMAIN> <USERNAME> [<PASSWORD>]\n"
                    + "    Credentials for the relay of DOMAIN in postfix-sasl-password.cf (prompted when omitted).\n"
                    + "    While any relay credentials exist, every relay connection needs STARTTLS and AUTH.\n"
                    + "exclude-domain <DOMAIN>\n"
                    + "    Deliver mail from DOMAIN directly instead of through RELAY_HOST ('@DOMAIN' opt-out line).");

    private final PrintStream out;
    private final Supplier<LoadedConfig> config;
    private final Supplier<String> passwordPrompt;

    RelayCommand(PrintStream out, Supplier<LoadedConfig> config, Supplier<String> passwordPrompt) {
        this.out = out;
        this.config = config;
        this.passwordPrompt = passwordPrompt;
    }

    /** Runs the subcommand; {@code args} follow the word {@code relay}. */
    void run(List<String> args) {
        String sub = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.size() > 1 ? args.subList(1, args.size()) : List.of();
        switch (sub) {
            case "", "help" -> out.print(USAGE);
            case "add-domain" -> addDomain(rest);
            case "add-auth" -> addAuth(rest);
            case "exclude-domain" -> exclude(rest);
            default -> throw new CliFailure("The command 'relay " + String.join(" ", args) + "' is invalid.\n"
                    + "Use `./mailfleet relay help` to get an overview of the relay commands.", 2);
        }
    }

    private void addDomain(List<String> args) {
        String usage = "Usage: ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return;
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
    }

    private void addAuth(List<String> args) {
        String usage = "Usage: ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return;
        }
        String domain = domain(args, usage);
        String user = args.size() > 1 ? args.get(1).strip() : "";
        if (user.isEmpty()) {
            throw new CliFailure("No username specified", 1, usage);
        }
        if (user.contains(":") || user.matches(".*\\s.*")) {
            throw new CliFailure("Invalid username '" + user + "': it must not contain ':' or spaces", 1, usage);
        }
        String password = args.size() > 2 ? String.join(" ", args.subList(2, args.size())) : passwordPrompt.get();
        if (password.isEmpty()) {
            throw new CliFailure("No password specified", 1, usage);
        }
        if (password.contains("\n")) {
            throw new CliFailure("The password must not contain a line break", 1);
        }
        Path file = upsert(RelayFiles.SASL_PASSWORDS, domain, "@" + domain + "\t\t" + user + ":" + password);
        out.println("INFO: relay credentials for '" + domain + "' saved as user '" + user + "' (" + file + ")");
    }

    private void exclude(List<String> args) {
        String usage = "Usage: ./mailfleet relay exclude-domain <DOMAIN>\n";
        if (!args.isEmpty() && args.get(0).equals("help")) {
            out.print(usage);
            return;
        }
        String domain = domain(args, usage);
        Path file = upsert(RelayFiles.RELAY_MAP, domain, "@" + domain);
        out.println("INFO: mail from '" + domain + "' is delivered directly, not through RELAY_HOST (" + file + ")");
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
        Settings s = config.get().settings();
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
