package io.mailfleet.cli;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimRotation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet config dkim retire <domain> <selector>}: removes a DKIM key that no longer signs (after a
 * rotation, once its record has been published long enough), or cancels a pending rotation.
 */
@Command(name = "retire", mixinStandardHelpOptions = true,
        customSynopsis = "    ./mailfleet config dkim retire <DOMAIN> <SELECTOR>",
        description = """
                Removes a DKIM key that no longer signs: its KeyTable and SigningTable lines and its files,
                so `./mailfleet config dns` stops listing its record. Use it after a rotation once the old
                record has been published for at least 7 days (then remove the record from DNS), or on
                the pending key to cancel a rotation. The key that signs the domain's mail is refused.""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
final class DkimRetireCommand implements Callable<Integer>, UsageErrors {

    private final CliContext ctx;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..*", hidden = true)
    private List<String> args;

    DkimRetireCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        String usage = problem.getCommandLine().getUsageMessage();
        if (problem instanceof CommandLine.UnmatchedArgumentException u) {
            return ctx.fail(new CliFailure("unknown option '" + u.getUnmatched().get(0) + "' for config dkim retire", 1, usage));
        }
        return ctx.fail(new CliFailure(problem.getMessage(), 1, usage));
    }

    @Override
    public Integer call() {
        String usage = spec.commandLine().getUsageMessage();
        List<String> a = DmsArgs.orEmpty(args);
        if (a.size() == 1 && a.get(0).equals("help")) {
            ctx.out().print(usage);
            return 0;
        }
        for (String arg : a) {
            if (arg.startsWith("-")) {
                throw new CliFailure("unknown option '" + arg + "' for config dkim retire", 1, usage);
            }
        }
        if (a.size() != 2) {
            throw new CliFailure(a.size() < 2 ? "No domain and selector specified" : "too many arguments for config dkim retire", 1, usage);
        }
        String d = domain(a.get(0));
        String selector = a.get(1).strip();
        Path dir = ctx.loaded().settings().outbound().dkimDir();
        try {
            boolean pending = DkimRotation.isPending(dir, d, selector);
            DkimRotation.retire(dir, d, selector);
            if (pending) {
                ctx.out().println("INFO: the rotation of '" + d + "' to selector '" + selector + "' is cancelled and its key"
                        + " deleted; remove its TXT record at " + selector + "._domainkey." + d + " if you published it");
            } else {
                ctx.out().println("INFO: DKIM key '" + selector + "' of '" + d + "' retired and deleted; remove the TXT record at "
                        + selector + "._domainkey." + d + " from DNS (or publish it with an empty p= to revoke it, RFC 6376 3.6.1)");
            }
        } catch (IOException e) {
            throw new CliFailure("cannot change the DKIM keys under " + dir + ": " + e.getMessage(), 1);
        } catch (DkimException e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        return 0;
    }

    /** A domain argument, lower-cased; anything that is not a domain name is refused. */
    static String domain(String arg) {
        String v = arg.strip().toLowerCase(Locale.ROOT);
        if (!v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
            throw new CliFailure("Invalid domain '" + arg + "': expected a domain name such as example.com", 1);
        }
        return v;
    }
}
