package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/**
 * {@code ./mailfleet spam allow|block add|del|list <account> [<address-or-domain>]}: an account's sender
 * allow and block lists, through the management API ({@code /api/v1/spam-lists/<account>}); and
 * {@code ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>}: trains the spam filter (the built-in
 * classifier, or Rspamd when it is on) from every message of an existing folder.
 */
@Command(name = "spam", mixinStandardHelpOptions = true,
        description = {"Spam filtering of an account: its sender allow list (never scored as spam) and block"
                + " list (always spam),", "and training the filter from a folder (the built-in classifier, or Rspamd"
                + " when ENABLE_RSPAMD=1)."},
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID},
        subcommands = {SpamCommand.Allow.class, SpamCommand.Block.class, HelpSubcommand.class})
final class SpamCommand extends CommandGroup {

    SpamCommand(CliContext ctx) {
        super(ctx, "spam");
    }

    @Command(name = "learn", mixinStandardHelpOptions = true,
            customSynopsis = "    ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>",
            description = {"Learn every message of <FOLDER> of <ACCOUNT> as spam or as ham; messages",
                    "already expunged, or already learned as that kind, are skipped and counted."})
    int learn(@Parameters(index = "0", paramLabel = "spam|ham") String as,
              @Parameters(index = "1", paramLabel = "ACCOUNT") String account,
              @Parameters(index = "2", paramLabel = "FOLDER") String folder) {
        if (!as.equals("spam") && !as.equals("ham")) {
            throw new CliFailure("the first argument must be spam or ham, not '" + as + "'", 1,
                    "Usage: ./mailfleet spam learn spam|ham <ACCOUNT> <FOLDER>\n");
        }
        JsonNode r = ctx.api().send("POST", "/api/v1/spam/learn",
                ApiClient.body("account", account, "folder", folder, "as", as), Duration.ofMinutes(31));
        int skipped = r.path("skipped").asInt();
        int relearned = r.path("relearned").asInt();
        int already = r.path("alreadyLearned").asInt();
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (relearned > 0) {
            notes.add(relearned + " learned as " + (as.equals("spam") ? "ham" : "spam") + " before, relearned");
        }
        if (already > 0) {
            notes.add(already + " already learned as " + as + ", skipped");
        }
        if (skipped > 0) {
            notes.add(skipped + " already expunged, skipped");
        }
        ctx.out().println("Learned " + r.path("learned").asInt() + " message(s) of " + folder + " of " + account + " as "
                + as + " into " + r.path("into").asText() + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        return 0;
    }

    /** {@code spam allow ...}. */
    @Command(name = "allow", mixinStandardHelpOptions = true,
            description = "Senders an account always accepts: spam scanning (built-in, SpamAssassin, Rspamd) is skipped"
                    + " for them; virus scanning is not.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID})
    static final class Allow extends Lists {
        Allow(CliContext ctx) {
            super(ctx, "allow");
        }
    }

    /** {@code spam block ...}. */
    @Command(name = "block", mixinStandardHelpOptions = true,
            description = "Senders an account never wants: their mail is spam (over SA_KILL): filed in Junk, or refused"
                    + " with 554 5.7.1 when SPAMASSASSIN_SPAM_TO_INBOX=0.",
            exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID})
    static final class Block extends Lists {
        Block(CliContext ctx) {
            super(ctx, "block");
        }
    }

    /** {@code allow} and {@code block}: the same add, del and list subcommands on the list named by the subclass. */
    @Command(subcommands = HelpSubcommand.class)
    abstract static class Lists extends CommandGroup {
        private final String list;

        Lists(CliContext ctx, String list) {
            super(ctx, "spam");
            this.list = list;
        }

        // picocli fills ${PARENT-COMMAND-NAME} with "allow" or "block" when it renders the help.
        @Command(name = "add", mixinStandardHelpOptions = true,
                customSynopsis = "    ./mailfleet spam ${PARENT-COMMAND-NAME} add <MAIL ACCOUNT> <ADDRESS | DOMAIN | *.DOMAIN>",
                description = "Put a sender address, a domain or a domain with its subdomains on the"
                        + " ${PARENT-COMMAND-NAME} list.")
        int add(@Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account,
                @Parameters(index = "1", paramLabel = "SENDER") String entry) {
            JsonNode r = ctx.api().send("POST", path(account) + "/" + list, ApiClient.body("entry", entry));
            ctx.out().println("INFO: " + r.path("entry").asText() + " is on the " + list + " list of "
                    + r.path("account").asText());
            return 0;
        }

        @Command(name = "del", mixinStandardHelpOptions = true,
                customSynopsis = "    ./mailfleet spam ${PARENT-COMMAND-NAME} del <MAIL ACCOUNT> <ADDRESS | DOMAIN | *.DOMAIN>",
                description = "Take an entry off the ${PARENT-COMMAND-NAME} list.")
        int del(@Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account,
                @Parameters(index = "1", paramLabel = "SENDER") String entry) {
            JsonNode r = ctx.api().send("DELETE", path(account) + "/" + list + "/" + ApiClient.seg(entry), null);
            ctx.out().println("INFO: " + r.path("entry").asText() + " removed from the " + list + " list of "
                    + r.path("account").asText());
            return 0;
        }

        @Command(name = "list", mixinStandardHelpOptions = true,
                customSynopsis = "    ./mailfleet spam ${PARENT-COMMAND-NAME} list <MAIL ACCOUNT>",
                description = "Show the ${PARENT-COMMAND-NAME} list.")
        int list(@Parameters(index = "0", paramLabel = "MAIL ACCOUNT") String account) {
            JsonNode r = ctx.api().get(path(account));
            JsonNode entries = r.path(list);
            if (entries.isEmpty()) {
                ctx.out().println("INFO: the " + list + " list of " + r.path("account").asText() + " is empty");
            }
            entries.forEach(e -> ctx.out().println("* " + e.asText()));
            return 0;
        }

        private static String path(String account) {
            return "/api/v1/spam-lists/" + ApiClient.seg(account);
        }
    }
}
