package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
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
        String selector = "mail";
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
            switch (option) {
                case "keysize" -> {
                    if (!List.of("1024", "2048", "4096").contains(value)) {
                        throw new CliFailure("Invalid keysize '" + value + "': possible values are 1024, 2048 and 4096", 1);
                    }
                    keySize = Integer.parseInt(value);
                }
                case "keytype" -> {
                    keyType = value.toLowerCase(Locale.ROOT);
                    if (!keyType.equals("rsa") && !keyType.equals("ed25519")) {
                        throw new CliFailure("Invalid keytype '" + value + "': possible values are rsa and ed25519", 1);
                    }
                }
                case "selector" -> {
                    if (!value.matches("[A-Za-z0-9._-]+")) {
                        throw new CliFailure("Invalid selector '" + value + "': use letters, digits, '.', '_' or '-'", 1);
                    }
                    selector = value;
                }
                default -> domains = value;
            }
        }
        if (keyType.equals("ed25519") && keySize != null) {
            throw new CliFailure("The keysize option is not supported for keytype 'ed25519'", 1);
        }
        int bits = keySize == null ? 2048 : keySize;
        if (keyType.equals("rsa") && bits > 2048) {
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
        Path priv = dir.resolve("keys").resolve(domain).resolve(selector + ".private");
        Path txtFile = priv.resolveSibling(selector + ".txt");
        String txt;
        try {
            if (Files.exists(priv)) {
                out.println("INFO: DKIM key for '" + domain + "' with selector '" + selector + "' already exists ("
                        + priv + "): not overwritten");
                if (!Files.exists(txtFile)) {
                    return;
                }
                txt = Files.readString(txtFile, StandardCharsets.US_ASCII);
            } else {
                out.println("INFO: Creating DKIM private key '" + priv + "'");
                KeyPair pair = keyType.equals("ed25519") ? DkimKeys.generateEd25519() : DkimKeys.generateRsa(bits);
                txt = DkimKeys.writeOpenDkim(dir, domain, selector, pair);
            }
        } catch (IOException e) {
            throw new CliFailure("cannot write the DKIM key under " + dir + ": " + e.getMessage(), 1);
        } catch (DkimException e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        out.println("INFO: Publish this TXT record at " + selector + "._domainkey." + domain + " (from " + txtFile + "):");
        out.print(txt.endsWith("\n") ? txt : txt + "\n");
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
            String v = d.strip().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            if (!v.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                throw new CliFailure("Invalid domain '" + d + "': expected a domain name such as example.com", 1);
            }
            out.add(v);
        }
        return out;
    }
}
