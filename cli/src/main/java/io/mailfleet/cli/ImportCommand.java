package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailfleet import maildir|mbox}: brings existing mail into an account through the running
 * node, which reads the files (the path must be visible to the node); re-running imports only what is
 * missing.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet import <maildir|mbox> <PATH> --account <user@domain> [OPTIONS]",
                "    ./mailfleet import imap --host <HOST> --user <USER> --account <user@domain> [OPTIONS]"},
        description = """
                Import existing mail into an account: a Maildir tree (Dovecot / docker-mailserver layout),
                an mbox file, or a live IMAP account. The node reads the files, so PATH must be readable
                by the node. Running the same import again adds only the messages not yet in their folder.""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class ImportCommand extends CommandGroup {

    private static final Duration TIMEOUT = Duration.ofHours(12);

    ImportCommand(CliContext ctx) {
        super(ctx, "import");
    }

    @Command(name = "maildir", mixinStandardHelpOptions = true,
            customSynopsis = {"    ./mailfleet import maildir <PATH> --account <user@domain> [--folder-prefix <FOLDER>]",
                    "    ./mailfleet import maildir <ROOT> --dms-layout"},
            description = """
                    Import a Maildir (the directory holding cur/ and new/, with folders as .Folder.Sub):
                    flags from the file names and dovecot-keywords, internal dates from the file times,
                    UIDVALIDITY and UIDs from dovecot-uidlist, subscriptions, and the Sieve scripts of
                    its home/ (docker-mailserver's layout). With --folder-prefix everything lands under
                    FOLDER (INBOX becomes FOLDER itself). With --dms-layout, ROOT is docker-mailserver's
                    /var/mail: every ROOT/<domain>/<user>/ is imported into the account <user>@<domain>;
                    directories of addresses that are not accounts here are reported.""")
    int maildir(@Parameters(paramLabel = "PATH", description = "the Maildir, or the mail root with --dms-layout")
                String path,
                @Option(names = "--account", paramLabel = "ADDRESS") String account,
                @Option(names = "--folder-prefix", paramLabel = "FOLDER") String prefix,
                @Option(names = "--dms-layout", description = "PATH is docker-mailserver's mail root"
                        + " (/var/mail): import every account found there") boolean dmsLayout) {
        if (dmsLayout == (account != null)) {
            throw new ParameterException(spec.commandLine(), "give either --account or --dms-layout");
        }
        if (dmsLayout) {
            if (prefix != null) {
                throw new ParameterException(spec.commandLine(), "--folder-prefix does not go with --dms-layout");
            }
            JsonNode r = ctx.api().send("POST", "/api/v1/import/maildir?path=" + ApiClient.seg(absolute(path))
                    + "&dms-layout=true", null, TIMEOUT);
            for (JsonNode a : r.path("accounts")) {
                out.println("== " + a.path("account").asText());
                summary(a);
            }
            for (JsonNode f : r.path("failed")) {
                out.println("ERROR: " + f.path("origin").asText() + ": " + f.path("reason").asText());
            }
            for (JsonNode n : r.path("notOnNode")) {
                out.println("WARNING: " + n.asText() + " is not an account on this server: not imported");
            }
            for (JsonNode n : r.path("withoutMail")) {
                out.println("INFO: " + n.asText() + " has no mail directory under " + absolute(path));
            }
            out.println("INFO: " + r.path("accounts").size() + " account(s) imported, " + r.path("failed").size()
                    + " failed, " + r.path("notOnNode").size() + " not on this server");
            return r.path("failed").isEmpty() ? 0 : 1;
        }
        String query = "path=" + ApiClient.seg(absolute(path)) + "&account=" + ApiClient.seg(account)
                + (prefix == null ? "" : "&folder-prefix=" + ApiClient.seg(prefix));
        return summary(ctx.api().send("POST", "/api/v1/import/maildir?" + query, null, TIMEOUT));
    }

    @Command(name = "mbox", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet import mbox <FILE> --account <user@domain> --folder <FOLDER>",
            description = """
                    Import an mbox file (mboxrd or mboxo) into FOLDER (created if needed): flags from
                    Status/X-Status, internal dates from the 'From ' lines.""")
    int mbox(@Parameters(paramLabel = "FILE", description = "the mbox file") String path,
             @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account,
             @Option(names = "--folder", required = true, paramLabel = "FOLDER") String folder) {
        String query = "path=" + ApiClient.seg(absolute(path)) + "&account=" + ApiClient.seg(account)
                + "&folder=" + ApiClient.seg(folder);
        return summary(ctx.api().send("POST", "/api/v1/import/mbox?" + query, null, TIMEOUT));
    }

    @Command(name = "imap", mixinStandardHelpOptions = true,
            customSynopsis = {"    ./mailfleet import imap --host <HOST> [--port <PORT>] [--security ssl|starttls|none]",
                    "                            --user <USER> [--password-file <FILE>] --account <user@domain> [--insecure]"},
            description = {"Copy every folder of a live IMAP account (any server) into a local account: flags,",
                    "keywords and internal dates come along; the remote account is only read (EXAMINE and",
                    "BODY.PEEK[], so not even its \\Seen flags change). Running it again adds only what is",
                    "missing. Without --password-file the password is asked for."})
    int imap(@Option(names = "--host", required = true, paramLabel = "HOST") String host,
             @Option(names = "--port", paramLabel = "PORT") Integer port,
             @Option(names = "--security", paramLabel = "MODE", defaultValue = "ssl",
                     description = "ssl (993, the default), starttls (143) or none") String security,
             @Option(names = "--user", required = true, paramLabel = "USER") String user,
             @Option(names = "--password-file", paramLabel = "FILE",
                     description = "a file holding the remote password (first line)") String passwordFile,
             @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account,
             @Option(names = "--insecure", description = "accept the remote server's certificate without"
                     + " verifying it") boolean insecure) {
        String password;
        if (passwordFile != null) {
            try {
                password = java.nio.file.Files.readAllLines(Path.of(passwordFile)).stream().findFirst().orElse("");
            } catch (java.io.IOException e) {
                throw new CliFailure("cannot read the password file " + Path.of(passwordFile).toAbsolutePath()
                        + ": " + e.getMessage(), 1);
            }
        } else {
            password = ctx.promptPassword();
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = ApiClient.body("account", account, "host", host,
                "security", security, "user", user, "password", password);
        if (port != null) {
            body.put("port", port);
        }
        body.put("trustAnyCertificate", insecure);
        return summary(ctx.api().send("POST", "/api/v1/import/imap", body, TIMEOUT));
    }

    // the node resolves the path, so a relative one is made absolute here, where the user typed it
    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private int summary(JsonNode r) {
        for (JsonNode f : r.path("foldersCreated")) {
            out.println("INFO: created folder " + f.asText());
        }
        for (JsonNode s : r.path("skipped")) {
            out.println("WARNING: skipped " + s.path("origin").asText() + ": " + s.path("reason").asText());
        }
        for (JsonNode n : r.path("notes")) {
            out.println("NOTE: " + n.path("origin").asText() + ": " + n.path("note").asText());
        }
        if (!r.path("subscribed").isEmpty()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            r.path("subscribed").forEach(n -> names.add(n.asText()));
            out.println("INFO: subscribed to " + String.join(", ", names));
        }
        if (!r.path("sieveScripts").isEmpty()) {
            java.util.List<String> names = new java.util.ArrayList<>();
            r.path("sieveScripts").forEach(n -> names.add(n.asText()));
            out.println("INFO: Sieve scripts " + String.join(", ", names) + (r.hasNonNull("sieveActive")
                    ? "; active: " + r.path("sieveActive").asText() : "; none active"));
        }
        for (JsonNode c : r.path("condstore")) {
            out.println("INFO: " + c.path("folder").asText() + ": " + c.path("state").asText());
        }
        if (r.path("uidsKept").asLong() > 0) {
            out.println("INFO: " + r.path("uidsKept").asLong() + " message(s) kept the UID they had in the source");
        }
        out.println("INFO: imported " + r.path("imported").asLong() + " message(s) ("
                + IecSize.format(r.path("bytes").asLong()) + ") into " + r.path("account").asText() + ", "
                + r.path("alreadyPresent").asLong() + " already there, " + r.path("skipped").size()
                + " skipped, " + r.path("millis").asLong() + " ms");
        return 0;
    }
}
