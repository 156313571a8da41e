package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet email app-password add|list|del <account> [<name>]}: an account's app passwords,
 * through the management API ({@code /api/v1/app-passwords/<account>}).
 */
@Command(name = "app-password", mixinStandardHelpOptions = true,
        description = "Add, list and revoke an account's app passwords (each usable instead of the account's"
                + " password for the protocols of its scope).",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class AppPasswordCommand implements Callable<Integer> {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    AppPasswordCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet email app-password add <MAIL ACCOUNT> <NAME> --scope imap[,pop3,smtp,sieve]"
                    + " [--expires <ISO-8601 instant>] [--network <CIDR>]...",
            description = "Make an app password; it is printed once and stored only as a hash.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int add(@Option(names = "--scope", split = ",", required = true, paramLabel = "SCOPE",
                    description = "imap, pop3, smtp, sieve (comma-separated or repeated)") List<String> scopes,
            @Option(names = "--expires", paramLabel = "INSTANT", description = "e.g. 2027-01-31T00:00:00Z") String expires,
            @Option(names = "--network", paramLabel = "CIDR", description = "allowed client network (repeatable)")
            List<String> networks,
            @Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account,
            @Parameters(index = "1", paramLabel = "NAME") String name) {
        ObjectNode body = ApiClient.body("name", name);
        ArrayNode s = body.putArray("scopes");
        scopes.forEach(s::add);
        if (expires != null) {
            body.put("expires", expires);
        }
        ArrayNode n = body.putArray("networks");
        (networks == null ? List.<String>of() : networks).forEach(n::add);
        JsonNode r = ctx.api().send("POST", path(account), body);
        ctx.out().println("INFO: app password '" + r.path("name").asText() + "' for " + r.path("account").asText()
                + " (" + String.join(",", texts(r.path("scopes"))) + "): " + r.path("password").asText());
        ctx.out().println("INFO: it is shown only now; store it in the mail client");
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet email app-password list <MAIL ACCOUNT>",
            description = "List an account's app passwords (names, scopes, expiry, networks; never the passwords).",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int list(@Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account) {
        JsonNode list = ctx.api().get(path(account));
        if (list.isEmpty()) {
            ctx.out().println("INFO: " + account + " has no app passwords");
        }
        for (JsonNode p : list) {
            JsonNode nets = p.path("networks");
            ctx.out().println("* " + p.path("name").asText() + "  scopes=" + String.join(",", texts(p.path("scopes")))
                    + "  expires=" + (p.path("expires").isNull() ? "never" : p.path("expires").asText())
                    + "  networks=" + (nets.isEmpty() ? "any" : String.join(",", texts(nets)))
                    + "  created=" + p.path("created").asText());
        }
        return 0;
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet email app-password del <MAIL ACCOUNT> <NAME>",
            description = "Revoke an app password: logins with it are refused at once.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
    int del(@Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account,
            @Parameters(index = "1", paramLabel = "NAME") String name) {
        ctx.api().send("DELETE", path(account) + "/" + ApiClient.seg(name), null);
        ctx.out().println("INFO: app password '" + name + "' of " + account + " revoked");
        return 0;
    }

    private static String path(String account) {
        return "/api/v1/app-passwords/" + ApiClient.seg(account);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Override
    public Integer call() {
        ctx.out().print(spec.commandLine().getUsageMessage());
        return 0;
    }
}
