package io.mailfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.mailfleet.server.dns.DnsCheck;
import io.mailfleet.server.dns.DnsRecord;
import io.mailfleet.server.outbound.NodeDns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./mailfleet config dns [<domain>] [--check]}: the DNS records each domain should publish for this
 * node (from {@code GET /api/v1/dns/<domain>}); {@code --check} compares them with live DNS through the
 * node's resolver settings ({@code MAILFLEET_DNS_SERVER}).
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = {"Prints the DNS records (zone-file lines) a domain should publish for this node: MX, SPF, DKIM,",
                "DMARC, MTA-STS (and its policy file), TLS-RPT and the client SRV records.",
                "Without a domain: every domain of the node's accounts and aliases, and the mail domain.",
                "Exit code with --check: 0 when every record is published as printed, 1 otherwise."},
        exitCodeList = {DmsUsage.SUCCESS, DmsUsage.ERROR, DmsUsage.INVALID})
final class DnsCommand implements Callable<Integer> {

    private final CliContext ctx;
    private final PrintStream out;

    @Parameters(arity = "0..1", paramLabel = "<DOMAIN>", description = "The domain (default: every local domain).")
    private String domain;

    @Option(names = "--check", description = "Ask DNS and mark each record ok, missing, different or unanswered.")
    private boolean check;

    DnsCommand(CliContext ctx) {
        this.ctx = ctx;
        this.out = ctx.out();
    }

    @Override
    public Integer call() {
        Set<String> domains = new LinkedHashSet<>();
        if (domain != null) {
            domains.add(domain.strip().toLowerCase(Locale.ROOT));
        } else {
            String mail = ctx.loaded().settings().domainName();
            if (mail != null && mail.contains(".")) {
                domains.add(mail.toLowerCase(Locale.ROOT));
            }
            ctx.api().get("/api/v1/domains").forEach(d -> domains.add(d.path("domain").asText().toLowerCase(Locale.ROOT)));
        }
        DnsCheck checker = check ? new DnsCheck(NodeDns.resolver(ctx.loaded().settings().outbound())) : null;
        boolean allOk = true;
        for (String d : domains) {
            allOk &= print(ctx.api().get("/api/v1/dns/" + ApiClient.seg(d)), checker);
        }
        return allOk ? 0 : 1;
    }

    private boolean print(JsonNode plan, DnsCheck checker) {
        List<DnsRecord> records = new ArrayList<>();
        plan.path("records").forEach(r -> records.add(new DnsRecord(r.path("name").asText(), r.path("type").asText(),
                r.path("value").asText(), r.path("comment").asText())));
        out.println("; ---- " + plan.path("domain").asText());
        boolean allOk = true;
        if (checker == null) {
            records.forEach(r -> out.println(r.zoneLine()));
        } else {
            for (DnsCheck.Result r : await(checker, records)) {
                allOk &= r.status() == DnsCheck.Status.OK;
                String mark = r.status().name().toLowerCase(Locale.ROOT);
                if (r.status() == DnsCheck.Status.DIFFERENT) {
                    mark += ", DNS has: " + String.join(" | ", r.found());
                } else if (r.status() == DnsCheck.Status.UNANSWERED) {
                    mark += ": " + r.detail();
                }
                out.println(r.record().zoneLine() + " [" + mark + "]");
            }
        }
        JsonNode sts = plan.path("mtaSts");
        out.println("; MTA-STS policy to serve at " + sts.path("url").asText() + " (MAILFLEET_MTA_STS_SERVER=1 serves it; the certificate must name that host):");
        for (String line : sts.path("policy").asText().split("\n")) {
            out.println(";   " + line);
        }
        return allOk;
    }

    private static List<DnsCheck.Result> await(DnsCheck checker, List<DnsRecord> records) {
        try {
            return checker.check(records).toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted", 1);
        } catch (ExecutionException | TimeoutException e) {
            throw new CliFailure("the DNS check did not finish: " + e, 1);
        }
    }
}
