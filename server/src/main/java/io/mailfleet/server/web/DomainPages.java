package io.mailfleet.server.web;

import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.DomainInfo;
import io.mailfleet.server.dns.DnsCheck;
import io.mailfleet.server.dns.DnsRecord;
import io.mailfleet.server.dns.RecommendedRecords;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code /ui/admin/domains}: the local domains with the records each should publish (what
 * {@code ./mailfleet config dns} prints), and {@code /ui/admin/domains/check?domain=…}: those records
 * against what live DNS answers through the node's resolver (what {@code config dns --check} does).
 */
final class DomainPages extends WebPages {

    private final DirectoryAdmin admin;
    private final RecommendedRecords records;
    private final DnsCheck check;
    private final Executor blocking;

    /** {@code blocking} reads the DKIM key files. */
    DomainPages(DirectoryAdmin admin, RecommendedRecords records, DnsCheck check, Executor blocking) {
        this.admin = admin;
        this.records = records;
        this.check = check;
        this.blocking = blocking;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> pageLater(v, "Domains", list()))),
                path("check", () -> get(() -> parameter("domain", domain -> checkPage(v, domain)))));
    }

    private CompletionStage<Html> list() {
        List<DomainInfo> domains = admin.domains();
        // the DKIM records are files: read on the blocking dispatcher, not on the request's thread
        return CompletableFuture.supplyAsync(() -> Html.each(domains, d -> Html.of("""
                <tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>
                <td><a href="/ui/admin/domains/check?domain={}" aria-label="Check the live DNS of {}">Check DNS</a></td></tr>
                """, d.domain(), d.accounts(), d.aliases(), records(d.domain()), Layout.query(d.domain()), d.domain())),
                blocking).thenApply(rows -> Html.of("""
                <p>Local domains (those with an account or alias) and the records each should publish.
                A domain without a DKIM key gets one with <code>./mailfleet config dkim domain DOMAIN</code>.
                <em>Check DNS</em> compares them with what DNS answers now.</p>
                <table id="domains">
                <thead><tr><th scope="col">Domain</th><th scope="col">Accounts</th><th scope="col">Aliases</th>
                <th scope="col">Records to publish</th><th scope="col"></th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, rows));
    }

    /** The records of {@code config dns}, one per line; a domain without a DKIM key is marked unsigned. */
    private Html records(String domain) {
        List<DnsRecord> all = records.of(domain).records();
        Html lines = Html.of("<pre>{}</pre>", String.join("\n", all.stream()
                .map(r -> r.name() + ". " + r.type() + " " + r.rdata()).toList()));
        if (all.stream().noneMatch(r -> r.name().endsWith("._domainkey." + domain))) {
            return Html.of("{}<p class=\"muted\">No DKIM key: outgoing mail of {} is not signed.</p>", lines, domain);
        }
        return lines;
    }

    /** The results of a live DNS check of {@code domain}'s records: a summary line and one row per record. */
    static Html checkTable(String domain, List<DnsCheck.Result> results) {
        long ok = results.stream().filter(r -> r.status() == DnsCheck.Status.OK).count();
        Html rows = Html.each(results, r -> Html.of("""
                <tr><td>{}</td><td>{}</td><td><code>{}</code></td><td class="dns-{}">{}</td><td>{}</td></tr>
                """, r.record().name(), r.record().type(), r.record().rdata(),
                r.status().name().toLowerCase(Locale.ROOT), r.status().name().toLowerCase(Locale.ROOT),
                r.found().isEmpty() ? r.detail() : String.join("; ", r.found())));
        return Html.of("""
                <p id="dns-summary">{} of {} records of {} are published as they should be.</p>
                <table id="dns-check">
                <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Should be</th>
                <th scope="col">Status</th><th scope="col">DNS answers</th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, ok, results.size(), domain, rows);
    }

    private Route checkPage(Visit v, String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (admin.domains().stream().noneMatch(i -> i.domain().equals(d))) {
            return page(v, 404, "Domain not found", Html.of(
                    "<p>{} is not a local domain. <a href=\"/ui/admin/domains\">Back to the domains</a></p>", d));
        }
        CompletionStage<Html> main = CompletableFuture.supplyAsync(() -> records.of(d).records(), blocking)
                .thenCompose(check::check)
                .thenApply(results -> Html.of("""
                        {}
                        <p><a href="/ui/admin/domains">Back to the domains</a></p>
                        """, checkTable(d, results)));
        return pageLater(v, "DNS of " + d, main);
    }
}
