package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mailfleet export maildir|mbox}: writes an account's mail to a directory on the node, as a
 * Dovecot Maildir (UIDs kept, so {@code import maildir} or Dovecot brings it back unchanged) or one
 * mboxrd file per folder.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet export <maildir|mbox> <DIRECTORY> --account <user@domain>",
        description = """
                Export an account's mail: a Dovecot Maildir (folders, flags, keywords, internal dates,
                UIDVALIDITY and UIDs in dovecot-uidlist, subscriptions) or one mboxrd file per folder.
                The node writes the files, so DIRECTORY is a path on the node; it must not exist or be
                empty.""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = HelpSubcommand.class)
final class ExportCommand extends CommandGroup {

    private static final Duration TIMEOUT = Duration.ofHours(12);

    ExportCommand(CliContext ctx) {
        super(ctx, "export");
    }

    @Command(name = "maildir", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet export maildir <DIRECTORY> --account <user@domain>",
            description = """
                    Write the account as a Dovecot Maildir++ tree (INBOX in DIRECTORY, folders as .Folder.Sub):
                    flags in the file names, keywords in dovecot-keywords, UIDVALIDITY, UIDNEXT and UIDs in
                    dovecot-uidlist, internal dates as the file times, and the subscriptions file.""")
    int maildir(@Parameters(paramLabel = "DIRECTORY") String path,
                @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account) {
        return export("maildir", path, account);
    }

    @Command(name = "mbox", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet export mbox <DIRECTORY> --account <user@domain>",
            description = """
                    Write each folder of the account as an mboxrd file DIRECTORY/<Folder>/<Sub>.mbox, flags
                    in Status, X-Status and X-Keywords fields, the internal date in the From line.""")
    int mbox(@Parameters(paramLabel = "DIRECTORY") String path,
             @Option(names = "--account", required = true, paramLabel = "ADDRESS") String account) {
        return export("mbox", path, account);
    }

    private int export(String format, String path, String account) {
        String dir = Path.of(path).toAbsolutePath().normalize().toString();
        JsonNode r = ctx.api().send("POST", "/api/v1/export/" + format + "?path=" + ApiClient.seg(dir) + "&account="
                + ApiClient.seg(account), null, TIMEOUT);
        for (JsonNode s : r.path("skipped")) {
            out.println("WARNING: skipped " + s.path("what").asText() + ": " + s.path("reason").asText());
        }
        out.println("INFO: exported " + r.path("messages").asLong() + " message(s) ("
                + IecSize.format(r.path("bytes").asLong()) + ") in " + r.path("folders").asInt() + " folder(s) of "
                + r.path("account").asText() + " to " + r.path("path").asText() + ", " + r.path("skipped").size()
                + " skipped, " + r.path("millis").asLong() + " ms");
        return 0;
    }
}
