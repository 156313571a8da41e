package io.mailfleet.cli.sendmail;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a {@code sendmail} call, as cron, PHP's mail() and mutt write it: the options
 * Postfix's sendmail accepts for sending, the rest refused by name (no silent success for a queue
 * listing or a daemon mode that is not there).
 *
 * @param sender             {@code -f}/{@code -r}: the envelope sender, or null for the calling user
 * @param fullName           {@code -F}: the sender's name for a From: field the message lacks, or null
 * @param recipientsFromHeaders {@code -t}: recipients are read from To:, Cc: and Bcc:
 * @param dotIsData          {@code -i}/{@code -oi}: a line with a lone dot does not end the message
 * @param recipients         the recipients on the command line
 */
public record SendmailArgs(String sender, String fullName, boolean recipientsFromHeaders, boolean dotIsData,
                           List<String> recipients) {

    /** A usage error: sendmail's EX_USAGE. */
    public static final class UsageError extends Exception {
        public UsageError(String message) {
            super(message);
        }
    }

    public SendmailArgs {
        recipients = List.copyOf(recipients);
    }

    /** Parses the arguments after {@code sendmail}. */
    public static SendmailArgs parse(List<String> args) throws UsageError {
        String sender = null;
        String fullName = null;
        boolean fromHeaders = false;
        boolean dotIsData = false;
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                recipients.addAll(args.subList(i + 1, args.size()));
                break;
            }
            if (!a.startsWith("-") || a.length() == 1) {
                recipients.add(a);
                continue;
            }
            char opt = a.charAt(1);
            switch (opt) {
                case 'f', 'r', 'F', 'N', 'R', 'O', 'X', 'C', 'B', 'L' -> {
                    // options with a value, attached (-fuser@x) or as the next argument
                    String value = a.length() > 2 ? a.substring(2) : null;
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageError("option -" + opt + " requires an argument");
                        }
                        value = args.get(++i);
                    }
                    if (opt == 'f' || opt == 'r') {
                        sender = value.startsWith("<") && value.endsWith(">") ? value.substring(1, value.length() - 1)
                                : value;
                    } else if (opt == 'F') {
                        fullName = value;
                    }
                    // -N (DSN notify), -R (DSN ret), -O, -X, -C, -B, -L: accepted and ignored
                }
                case 't' -> fromHeaders = true;
                case 'i' -> dotIsData = true;
                case 'o' -> {
                    // -oi: as -i; every other -o option (-oem, -odb, -oQ...) is a sendmail.cf tweak, ignored
                    if (a.equals("-oi")) {
                        dotIsData = true;
                    }
                }
                case 'b' -> {
                    if (!a.equals("-bm")) {
                        throw new UsageError("unsupported mode " + a + ": only sending (-bm, the default) is"
                                + " supported; see ./mailfleet queue for the queue");
                    }
                }
                case 'v', 'U', 'G', 'n', 'm', 'e', 'A' -> {
                    // verbose, initial submission, gateway, no aliasing, me too, error mode, alternate
                    // config: meaningless here, accepted as Postfix's sendmail accepts them
                    // (-h and -V are the CLI's help and version, as on every ./mailfleet command)
                }
                default -> throw new UsageError("unknown option " + a);
            }
        }
        return new SendmailArgs(sender, fullName, fromHeaders, dotIsData, recipients);
    }
}
