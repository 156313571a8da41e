package io.mailfleet.cli;

import io.mailfleet.server.config.Settings;
import io.mailfleet.server.outbound.RelayFileEditor;
import io.mailfleet.server.outbound.RelayFiles;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

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
final class RelayCommand extends CommandGroup {

    RelayCommand(CliContext ctx) {
        super(ctx, "relay");
    }

    @Command(name = "add-domain", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]",
            description = {"Send mail from DOMAIN through the relay HOST (port default 25): '@DOMAIN [HOST]:PORT'",
                    "in postfix-relaymap.cf."},
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int addDomain(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        List<String> a = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay add-domain <DOMAIN> <HOST> [<PORT>]\n";
        if (!a.isEmpty() && a.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        return report(usage, () -> editor().addDomain(arg(a, 0), arg(a, 1), a.size() > 2 ? a.get(2) : null));
    }

    @Command(name = "add-auth", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]",
            description = {"Credentials for the relay of DOMAIN in postfix-sasl-password.cf (prompted when omitted).",
                    "While any relay credentials exist, every relay connection needs STARTTLS and AUTH."},
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int addAuth(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        List<String> a = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay add-auth <DOMAIN> <USERNAME> [<PASSWORD>]\n";
        if (!a.isEmpty() && a.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        return report(usage, () -> {
            // the domain and user are checked before the password is asked for
            RelayFileEditor.domain(arg(a, 0));
            RelayFileEditor.user(arg(a, 1));
            String password = a.size() > 2 ? String.join(" ", a.subList(2, a.size())) : ctx.promptPassword();
            return editor().addAuth(arg(a, 0), arg(a, 1), password);
        });
    }

    @Command(name = "exclude-domain", mixinStandardHelpOptions = true, customSynopsis = "    ./mailfleet relay exclude-domain <DOMAIN>",
            description = "Deliver mail from DOMAIN directly instead of through RELAY_HOST ('@DOMAIN' opt-out line).",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int excludeDomain(@Parameters(arity = "0..*", hidden = true) List<String> args) {
        List<String> a = DmsArgs.orEmpty(args);
        String usage = "Usage: ./mailfleet relay exclude-domain <DOMAIN>\n";
        if (!a.isEmpty() && a.get(0).equals("help")) {
            out.print(usage);
            return 0;
        }
        return report(usage, () -> editor().excludeDomain(arg(a, 0)));
    }

    private static String arg(List<String> args, int i) {
        return args.size() > i ? args.get(i) : "";
    }

    /** The files the node reads ({@link RelayFiles#configDir}), written by the code the web UI uses too. */
    private RelayFileEditor editor() {
        Settings s = ctx.loaded().settings();
        return new RelayFileEditor(RelayFiles.configDir(s.dmsConfigDir(), s.dataDir()));
    }

    /** Runs a change and prints what it means; a refusal ends the command with the editor's message. */
    private int report(String usage, java.util.function.Supplier<RelayFileEditor.Written> change) {
        RelayFileEditor.Written w;
        try {
            w = change.get();
        } catch (RelayFileEditor.Refused e) {
            throw new CliFailure(e.getMessage(), 1, e.showUsage() ? usage : null);
        } catch (java.io.UncheckedIOException e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        out.println("INFO: " + w.meaning() + " (" + w.file() + ")");
        return 0;
    }
}
