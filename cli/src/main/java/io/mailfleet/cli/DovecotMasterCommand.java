package io.mailfleet.cli;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.auth.Scheme;
import io.mailfleet.core.files.PrivateFiles;
import io.mailfleet.server.auth.AuthWiring;
import io.mailfleet.server.auth.MasterUsersFile;
import io.mailfleet.server.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code ./mailfleet dovecot-master add|update|del|list}: docker-mailserver's master users in
 * {@code dovecot-masters.cf} ({@code name|{SCHEME}hash}) of the config directory. The node reads the
 * file again when it changes, so no restart is needed; a master logs in as {@code user@domain*name}.
 */
@Command(name = "dovecot-master", mixinStandardHelpOptions = true,
        description = {"Add, update, delete and list Dovecot master users (dovecot-masters.cf). A master user",
                "logs in to any mailbox over IMAP, POP3 and ManageSieve as '<MAIL ACCOUNT>*<MASTER>' with its own password."},
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class DovecotMasterCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    DovecotMasterCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw DmsArgs.invalid("dovecot-master");
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        return ctx.fail(Cli.invalid(problem, "Use `./mailfleet dovecot-master help` to get an overview of the commands."));
    }

    @Command(name = "add", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet dovecot-master add <USERNAME> [<PASSWORD>]",
            description = "Add a master user (no domain needed)." + DmsUsage.PASSWORD_NOTE,
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int add(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        return change(DmsArgs.orEmpty(args), true, "add");
    }

    @Command(name = "update", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet dovecot-master update <USERNAME> [<PASSWORD>]",
            description = "Change the password of a master user." + DmsUsage.PASSWORD_NOTE,
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int update(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        return change(DmsArgs.orEmpty(args), false, "update");
    }

    private int change(List<String> args, boolean create, String name) {
        String usage = Cli.usage(spec, name);
        if (DmsArgs.helpRequested(args, 1, usage, ctx)) {
            return 0;
        }
        String user = args.get(0).strip().toLowerCase(Locale.ROOT);
        if (!MasterUsersFile.validName(user)) {
            throw new CliFailure("'" + args.get(0) + "' is not a valid master user name: use letters, digits and . _ @ + -"
                    + " (never '*', the login separator)", 1, usage);
        }
        List<String> lines = read();
        int at = lineOf(lines, user);
        if (create && at >= 0) {
            throw new CliFailure("User '" + user + "' already exists", 1);
        }
        if (!create && at < 0) {
            throw new CliFailure("User '" + user + "' does not exist", 1);
        }
        String password = String.join(" ", args.subList(1, args.size()));
        if (password.isEmpty()) {
            password = ctx.promptPassword();
        }
        if (password.isEmpty()) {
            throw new CliFailure("Password must not be empty", 1);
        }
        Settings s = ctx.loaded().settings();
        String line = user + "|" + PasswordSchemes.hash(password,
                Scheme.byName(s.passwordScheme()).orElse(Scheme.SHA512_CRYPT));
        if (at >= 0) {
            lines.set(at, line);
        } else {
            lines.add(line);
        }
        Path file = write(lines);
        ctx.out().println("INFO: master user '" + user + "' " + (create ? "added" : "updated") + " (" + file + ")");
        return 0;
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet dovecot-master del [ OPTIONS ] <USERNAME> [<USERNAME> ... ]",
            description = "Delete master users. -y is accepted as in docker-mailserver; Mailfleet never prompts here.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int del(@Option(names = {"-y", "-Y"}, description = "do not ask (the default here)") boolean yes,
            @Parameters(arity = "0..*", hidden = true) List<String> names) {
        names = DmsArgs.orEmpty(names);
        if (DmsArgs.helpRequested(names, 1, Cli.usage(spec, "del"), ctx)) {
            return 0;
        }
        List<String> lines = read();
        for (String n : names) {
            String user = n.strip().toLowerCase(Locale.ROOT);
            int at = lineOf(lines, user);
            if (at < 0) {
                throw new CliFailure("User '" + user + "' does not exist", 1);
            }
            lines.remove(at);
        }
        write(lines);
        for (String n : names) {
            ctx.out().println("INFO: master user '" + n.strip().toLowerCase(Locale.ROOT) + "' deleted");
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet dovecot-master list",
            description = "List the master users.", exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int list(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        args = DmsArgs.orEmpty(args);
        if (DmsArgs.helpRequested(args, 0, Cli.usage(spec, "list"), ctx)) {
            return 0;
        }
        var masters = MasterUsersFile.parse(file(), read());
        if (masters.isEmpty()) {
            throw new CliFailure("No master users exist, nothing to list", 1);
        }
        masters.keySet().forEach(m -> ctx.out().println("* " + m));
        return 0;
    }

    private Path file() {
        return AuthWiring.masterUsersFile(ctx.loaded().settings());
    }

    private List<String> read() {
        Path file = file();
        try {
            return Files.exists(file) ? new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8)) : new ArrayList<>();
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getMessage(), 1);
        }
    }

    private static int lineOf(List<String> lines, String user) {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            int bar = l.indexOf('|');
            if (bar > 0 && l.substring(0, bar).strip().equalsIgnoreCase(user)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the file atomically, readable by its owner only (it holds password hashes). */
    private Path write(List<String> lines) {
        Path file = file();
        try {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.writeAtomically(file, lines.stream().map(l -> l + "\n").collect(Collectors.joining()));
            return file;
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e.getMessage(), 1);
        }
    }
}
