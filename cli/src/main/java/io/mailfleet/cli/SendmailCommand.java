package io.mailfleet.cli;

import io.mailfleet.cli.sendmail.LocalSubmission;
import io.mailfleet.cli.sendmail.SendmailArgs;
import io.mailfleet.cli.sendmail.SendmailMessage;
import io.mailfleet.server.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet sendmail}: a sendmail-compatible command for cron, scripts and {@code mail}; it
 * hands standard input to the local node. Exit codes are sendmail's (sysexits.h).
 */
@Command(name = "sendmail", mixinStandardHelpOptions = true, description = {
        "Send the message on standard input through the local node, as sendmail does.",
        "Options as Postfix's sendmail: -t (recipients from To:/Cc:/Bcc:), -f SENDER, -F NAME,",
        "-i / -oi (a lone dot does not end the message); other sendmail.cf options are ignored.",
        "Install as /usr/sbin/sendmail with a symbolic link to ./mailfleet (see docs/cli.md)."},
        customSynopsis = "    ./mailfleet sendmail [-t] [-i] [-f SENDER] [-F NAME] [--] [RECIPIENT...]",
        exitCodeList = {"0:accepted by the node", "64:usage error", "65:bad message (e.g. too large)",
                "67:a recipient was refused", "69:refused by the node", "75:temporary failure (node not reachable"
                + " or 4xx): try again later"})
final class SendmailCommand implements Callable<Integer> {

    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_DATAERR = 65;
    static final int EX_NOUSER = 67;
    static final int EX_UNAVAILABLE = 69;
    static final int EX_TEMPFAIL = 75;

    private final CliContext ctx;

    @Unmatched
    private List<String> args;

    SendmailCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        SendmailArgs parsed;
        try {
            parsed = SendmailArgs.parse(args == null ? List.of() : args);
        } catch (SendmailArgs.UsageError e) {
            ctx.err().println("sendmail: " + e.getMessage());
            return EX_USAGE;
        }
        if (!parsed.recipientsFromHeaders() && parsed.recipients().isEmpty()) {
            ctx.err().println("sendmail: no recipients given (name them, or use -t to read them from the message)");
            return EX_USAGE;
        }
        Settings settings = ctx.loaded().settings();
        String sender = parsed.sender() != null ? parsed.sender() : localUser() + "@" + settings.hostname();
        SendmailMessage message;
        try {
            message = SendmailMessage.read(new BufferedInputStream(ctx.in()), parsed, sender, settings.hostname(),
                    settings.smtp().messageSizeLimit() > 0 ? settings.smtp().messageSizeLimit() : Long.MAX_VALUE);
        } catch (SendmailMessage.TooBig e) {
            ctx.err().println("sendmail: " + e.getMessage());
            return EX_DATAERR;
        } catch (IOException e) {
            ctx.err().println("sendmail: cannot read the message: " + e.getMessage());
            return EX_DATAERR;
        }
        List<String> recipients = parsed.recipientsFromHeaders()
                ? java.util.stream.Stream.concat(message.headerRecipients().stream(), parsed.recipients().stream())
                        .distinct().toList()
                : parsed.recipients();
        if (recipients.isEmpty()) {
            ctx.err().println("sendmail: no recipient addresses found in the message header");
            return EX_USAGE;
        }
        String host = loopbackFor(settings.bindAddress());
        int port = settings.smtp().port();
        LocalSubmission.Outcome outcome;
        try {
            outcome = LocalSubmission.send(host, port, "localhost", sender, recipients, message.bytes());
        } catch (IOException e) {
            ctx.err().println("sendmail: cannot hand the message to the node at " + host + ":" + port + ": "
                    + e.getMessage() + " (is `./mailfleet serve` running with the same configuration?)");
            return EX_TEMPFAIL;
        }
        outcome.refusals().forEach(r -> ctx.err().println("sendmail: " + r));
        if (!outcome.accepted()) {
            boolean temporary = outcome.refusals().stream().anyMatch(r -> !r.permanent());
            boolean recipientOnly = outcome.refusals().stream().allMatch(r -> r.command().startsWith("RCPT"));
            return temporary ? EX_TEMPFAIL : recipientOnly ? EX_NOUSER : EX_UNAVAILABLE;
        }
        // like sendmail: the message went out to the others, but a refused recipient is still an error
        return outcome.refusals().isEmpty() ? EX_OK : EX_NOUSER;
    }

    private String localUser() {
        String user = ctx.env().getOrDefault("USER", ctx.env().getOrDefault("LOGNAME", System.getProperty("user.name")));
        return user == null || user.isBlank() ? "root" : user.toLowerCase(Locale.ROOT);
    }

    /** Where a local program reaches the node: its bind address, or loopback when it listens on all. */
    private static String loopbackFor(String bind) {
        if (bind == null || bind.isEmpty() || bind.equals("0.0.0.0")) {
            return "127.0.0.1";
        }
        return bind.equals("::") ? "::1" : bind;
    }
}
