package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.Settings;
import io.mailfleet.server.outbound.DkimKeyMaker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ./mailfleet config dkim [keysize N] [keytype rsa|ed25519] [selector S] [domain D[,D2]]}:
 * docker-mailserver's OpenDKIM key generation. Keys go to the directory the node signs from
 * ({@code <DMS config>/opendkim}, else {@code <data-dir>/dkim}, or {@code mailfleet.dkim.dir}) in the
 * OpenDKIM layout; existing keys are never overwritten; the TXT record to publish is printed.
 */
@Command(name = "dkim", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet config dkim [ keysize <1024|2048|4096> ] [ keytype <rsa|ed25519> ]",
                "                            [ selector <SELECTOR> ] [ domain <DOMAIN>[,<DOMAIN>...] ]"},
        description = """
                Creates DKIM keys (and KeyTable, SigningTable, TrustedHosts) for signing outgoing mail,
                then prints the DNS TXT record to publish for each domain. The node picks new keys up
                without a restart. Existing keys are never overwritten.

                keysize <KEYSIZE>
                    Possible values: 1024, 2048 and 4096. Default: 2048
                    (keys above 2048 bits are discouraged: many DNS providers cannot publish them).
                keytype <rsa|ed25519>
                    Default: rsa. ed25519 takes no keysize (RFC 8463; not every
                    receiver verifies it, so publish an rsa key under another selector too).
                selector <SELECTOR>
                    Default: mail
                domain <DOMAIN>[,<DOMAIN>...]
                    Default: the mail domain (the hostname without its first label)
                    plus every domain of the running node's accounts and aliases.

                To replace a domain's key without a gap in signing, see
                `./mailfleet config dkim rotate --help` and `./mailfleet config dkim retire --help`.""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR},
        subcommands = {DkimRotateCommand.class, DkimRetireCommand.class})
final class DkimCommand implements Callable<Integer> {

    private final CliContext ctx;
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    private CommandSpec spec;

    /** docker-mailserver's words, not dashed options: {@code keysize 2048 selector mail ...}. */
    @Parameters(arity = "0..*", hidden = true)
    private List<String> args;

    DkimCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
        this.err = ctx.err();
    }

    @Override
    public Integer call() {
        run(DmsArgs.orEmpty(args));
        return 0;
    }

    private void run(List<String> args) {
        String usage = spec.commandLine().getUsageMessage();
        Integer keySize = null;
        String keyType = "rsa";
        String selector = DkimKeyMaker.DEFAULT_SELECTOR;
        String domains = null;
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (option.equals("help")) {
                out.print(usage);
                return;
            }
            if (!List.of("keysize", "keytype", "selector", "domain").contains(option)) {
                throw new CliFailure("Unknown option(s) '" + option + "'", 1, usage);
            }
            if (i + 1 >= args.size() || args.get(i + 1).isBlank()) {
                throw new CliFailure("Option '" + option + "' needs a value", 1, usage);
            }
            String value = args.get(++i).strip();
            try {
                switch (option) {
                    case "keysize" -> keySize = DkimKeyMaker.keySize(value);
                    case "keytype" -> keyType = DkimKeyMaker.keyType(value);
                    case "selector" -> selector = DkimKeyMaker.selector(value);
                    default -> domains = value;
                }
            } catch (DkimKeyMaker.Refused e) {
                throw new CliFailure(e.getMessage(), 1);
            }
        }
        int bits;
        try {
            bits = DkimKeyMaker.bits(keyType, keySize);
        } catch (DkimKeyMaker.Refused e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        if (DkimKeyMaker.discouraged(keyType, bits)) {
            err.println("WARN: RSA keys above 2048 bits are discouraged (RFC 8301): some DNS providers cannot publish them");
        }
        LoadedConfig loaded = ctx.loaded();
        Settings s = loaded.settings();
        Path dir = s.outbound().dkimDir();
        Set<String> targets = domains != null ? parseDomains(domains) : defaultDomains(s);
        if (targets.isEmpty()) {
            out.println("WARN: No entries found, no keys to make");
            return;
        }
        for (String domain : targets) {
            make(dir, domain, selector, keyType, bits);
        }
    }

    private void make(Path dir, String domain, String selector, String keyType, int bits) {
        DkimKeyMaker.Made made;
        try {
            made = new DkimKeyMaker(dir).make(domain, selector, keyType, bits);
        } catch (IOException e) {
            throw new CliFailure("cannot write the DKIM key under " + dir + ": " + e.getMessage(), 1);
        } catch (DkimException e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        if (!made.created()) {
            out.println("INFO: DKIM key for '" + domain + "' with selector '" + selector + "' already exists ("
                    + made.privateKey() + "): not overwritten");
            if (made.txt().isEmpty()) {
                return;
            }
        } else {
            out.println("INFO: Creating DKIM private key '" + made.privateKey() + "'");
        }
        out.println("INFO: Publish this TXT record at " + made.recordName() + " (from " + made.txtFile() + "):");
        out.print(made.txt().endsWith("\n") ? made.txt() : made.txt() + "\n");
    }

    private Set<String> defaultDomains(Settings s) {
        Set<String> out = new LinkedHashSet<>();
        if (s.domainName() != null && s.domainName().contains(".")) {
            out.add(s.domainName().toLowerCase(Locale.ROOT));
        }
        JsonNode list;
        try {
            list = ctx.api().get("/api/v1/domains");
        } catch (CliFailure f) {
            err.println("WARN: account and alias domains not read (" + f.getMessage() + "); only the mail domain is used."
                    + " Name domains explicitly with `domain <d1>,<d2>`");
            return out;
        }
        list.forEach(d -> out.add(d.path("domain").asText().toLowerCase(Locale.ROOT)));
        return out;
    }

    private static Set<String> parseDomains(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String d : text.split("[,\\s]+")) {
            if (d.isBlank()) {
                continue;
            }
            try {
                out.add(DkimKeyMaker.domain(d));
            } catch (DkimKeyMaker.Refused e) {
                throw new CliFailure(e.getMessage(), 1);
            }
        }
        return out;
    }
}
