package io.mailfleet.cli;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimRotation;
import io.mailfleet.server.config.DkimRotationSettings;
import io.mailfleet.server.dns.DnsCheck;
import io.mailfleet.server.dns.DnsRecord;
import io.mailfleet.server.outbound.DkimKeyMaker;
import io.mailfleet.server.outbound.NodeDns;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./mailfleet config dkim rotate <domain> [--selector S] [--keytype T] [--keysize N]} starts a DKIM key
 * rotation (a new key that does not sign yet, its record printed); {@code ... rotate <domain> --confirm
 * [--when-published]} switches signing to it, with {@code --when-published} only once DNS answers its record.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        customSynopsis = {"    ./mailfleet config dkim rotate <DOMAIN> [--selector <SELECTOR>] [--keytype <rsa|ed25519>] [--keysize <N>]",
                "    ./mailfleet config dkim rotate <DOMAIN> --confirm [--when-published]"},
        description = """
                Starts a DKIM key rotation: creates a new key next to the domain's signing key and prints
                the TXT record to publish. The old key keeps signing until the rotation is confirmed with
                --confirm; with --when-published the switch happens only when DNS (the node's resolver,
                MAILFLEET_DNS_SERVER) answers the new record, otherwise exit 1. Without --confirm a running
                node switches by itself once the rotation is mailfleet.dkim.rotation.switch-after (48h) old
                and DNS answers the record. After the switch keep the old record published for at least
                7 days; the node retires the old key mailfleet.dkim.rotation.retire-after (7d) after the
                switch, or run ./mailfleet config dkim retire <DOMAIN> <OLD SELECTOR>.""",
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR})
final class DkimRotateCommand implements Callable<Integer>, UsageErrors {

    /** How long the old record stays published after a switch: longer than mail waits in queues and is re-checked. */
    static final int KEEP_OLD_RECORD_DAYS = 7;

    private final CliContext ctx;
    private final PrintStream out;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "<DOMAIN>", description = "the domain whose key rotates")
    private String domain;

    @Option(names = "--selector", paramLabel = "<SELECTOR>", description = "the new selector (default: mail-<yyyyMMdd>)")
    private String selector;

    @Option(names = "--keytype", paramLabel = "<rsa|ed25519>", description = "default: rsa")
    private String keyType;

    @Option(names = "--keysize", paramLabel = "<N>", description = "1024, 2048 (default) or 4096; rsa only")
    private Integer keySize;

    @Option(names = "--confirm", description = "switch signing to the pending key")
    private boolean confirm;

    @Option(names = "--when-published", description = "with --confirm: only when DNS answers the new record")
    private boolean whenPublished;

    DkimRotateCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
    }

    @Override
    public int report(ParameterException problem, CliContext ctx) {
        String usage = problem.getCommandLine().getUsageMessage();
        if (problem instanceof CommandLine.UnmatchedArgumentException u) {
            return ctx.fail(new CliFailure("unknown option '" + u.getUnmatched().get(0) + "' for config dkim rotate", 1, usage));
        }
        return ctx.fail(new CliFailure(problem.getMessage(), 1, usage));
    }

    @Override
    public Integer call() {
        String usage = spec.commandLine().getUsageMessage();
        if (domain == null || domain.isBlank()) {
            throw new CliFailure("No domain specified", 1, usage);
        }
        if ("help".equals(domain)) {
            out.print(usage);
            return 0;
        }
        String d = DkimRetireCommand.domain(domain);
        Path dir = ctx.loaded().settings().outbound().dkimDir();
        try {
            if (confirm) {
                if (selector != null || keyType != null || keySize != null) {
                    throw new CliFailure("--confirm takes no --selector, --keytype or --keysize", 1, usage);
                }
                return confirm(dir, d);
            }
            if (whenPublished) {
                throw new CliFailure("--when-published only goes with --confirm", 1, usage);
            }
            return start(dir, d);
        } catch (IOException e) {
            throw new CliFailure("cannot change the DKIM keys under " + dir + ": " + e.getMessage(), 1);
        } catch (DkimException e) {
            throw new CliFailure(e.getMessage(), 1);
        }
    }

    private int start(Path dir, String d) throws IOException, DkimException {
        String type;
        int bits;
        String sel;
        try {
            type = DkimKeyMaker.keyType(keyType);
            bits = DkimKeyMaker.bits(type, DkimKeyMaker.keySize(keySize == null ? null : keySize.toString()));
            sel = DkimKeyMaker.selector(selector != null ? selector
                    : "mail-" + LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE));
        } catch (DkimKeyMaker.Refused e) {
            throw new CliFailure(e.getMessage(), 1);
        }
        Optional<String> pending = DkimRotation.pendingSelector(dir, d);
        if (pending.isPresent()) {
            throw new CliFailure("a rotation of '" + d + "' to selector '" + pending.get() + "' is pending: confirm it with"
                    + " `./mailfleet config dkim rotate " + d + " --confirm` or cancel it with"
                    + " `./mailfleet config dkim retire " + d + " " + pending.get() + "`", 1);
        }
        Optional<String> old = DkimRotation.signingSelector(dir, d);
        if (old.isEmpty()) {
            throw new CliFailure("'" + d + "' has no DKIM key to rotate: create one with `./mailfleet config dkim domain " + d + "`", 1);
        }
        if (Files.exists(dir.resolve("keys").resolve(d).resolve(sel + ".private"))) {
            throw new CliFailure("a DKIM key with selector '" + sel + "' already exists for '" + d + "': choose another --selector", 1);
        }
        if (DkimKeyMaker.discouraged(type, bits)) {
            ctx.err().println("WARN: RSA keys above 2048 bits are discouraged (RFC 8301): some DNS providers cannot publish them");
        }
        Path priv = dir.resolve("keys").resolve(d).resolve(sel + ".private");
        out.println("INFO: Creating DKIM private key '" + priv + "'");
        KeyPair pair = DkimKeyMaker.generate(type, bits);
        String txt = DkimRotation.start(dir, d, sel, pair);
        out.println("INFO: Publish this TXT record at " + sel + "._domainkey." + d + " (from "
                + priv.resolveSibling(sel + ".txt") + "):");
        out.print(txt.endsWith("\n") ? txt : txt + "\n");
        out.println("INFO: '" + d + "' is still signed with selector '" + old.get() + "'. Once the record is published, switch with"
                + " `./mailfleet config dkim rotate " + d + " --confirm` (add --when-published to switch only when DNS answers it)");
        DkimRotationSettings auto = DkimRotationSettings.of(ctx.loaded());
        if (auto.switches()) {
            out.println("INFO: A running node switches by itself " + DkimRotationSettings.text(auto.switchAfter())
                    + " from now or later, once DNS answers the record (mailfleet.dkim.rotation.switch-after)");
        }
        return 0;
    }

    private int confirm(Path dir, String d) throws IOException, DkimException {
        String sel = DkimRotation.pendingSelector(dir, d)
                .orElseThrow(() -> new CliFailure("no DKIM key rotation is pending for '" + d + "': start one with"
                        + " `./mailfleet config dkim rotate " + d + "`", 1));
        if (whenPublished) {
            String record = DkimKeys.recordFromZoneFileText(
                    Files.readString(dir.resolve("keys").resolve(d).resolve(sel + ".txt"), StandardCharsets.US_ASCII));
            DnsCheck.Result r = published(new DnsRecord(sel + "._domainkey." + d, "TXT", record, "new DKIM key"));
            if (r.status() != DnsCheck.Status.OK) {
                String why = switch (r.status()) {
                    case MISSING -> "DNS has no such record yet";
                    case DIFFERENT -> "DNS has another value: " + String.join(" | ", r.found());
                    default -> "DNS did not answer: " + r.detail();
                };
                throw new CliFailure("the TXT record at " + sel + "._domainkey." + d + " is not published as printed (" + why
                        + "); '" + d + "' is still signed with the old key", 1);
            }
            out.println("INFO: " + sel + "._domainkey." + d + " is published in DNS");
        }
        Optional<String> old = DkimRotation.confirm(dir, d, sel);
        out.println("INFO: '" + d + "' is now signed with selector '" + sel + "' (every node reading " + dir
                + " switches within a few seconds)");
        DkimRotationSettings auto = DkimRotationSettings.of(ctx.loaded());
        String byItself = auto.retires() ? " (a running node retires it by itself " + DkimRotationSettings.text(auto.retireAfter())
                + " after this switch: mailfleet.dkim.rotation.retire-after)" : "";
        old.filter(o -> !o.equals(sel)).ifPresent(o -> out.println("INFO: Keep the TXT record at " + o + "._domainkey." + d
                + " published for at least " + KEEP_OLD_RECORD_DAYS + " days (mail signed with it may still be in"
                + " queues or be verified again when forwarded), then remove it and run"
                + " `./mailfleet config dkim retire " + d + " " + o + "`" + byItself));
        return 0;
    }

    private DnsCheck.Result published(DnsRecord wanted) {
        DnsCheck checker = new DnsCheck(NodeDns.resolver(ctx.loaded().settings().outbound()));
        try {
            return checker.check(List.of(wanted)).toCompletableFuture().get(2, TimeUnit.MINUTES).get(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted", 1);
        } catch (ExecutionException | TimeoutException e) {
            throw new CliFailure("the DNS check did not finish: " + e, 1);
        }
    }
}
