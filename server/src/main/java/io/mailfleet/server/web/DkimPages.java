package io.mailfleet.server.web;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.DomainInfo;
import io.mailfleet.server.dns.DkimRecords;
import io.mailfleet.server.dns.DnsCheck;
import io.mailfleet.server.dns.RecommendedRecords;
import io.mailfleet.server.outbound.DkimKeyMaker;
import org.apache.pekko.http.javadsl.server.Route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * {@code /ui/admin/dkim}: every domain's DKIM keys (which selector signs, a rotation's pending key, old
 * keys) with the TXT record each needs in DNS; making a key as {@code ./mailfleet config dkim} does (the
 * same {@link DkimKeyMaker}); {@code /ui/admin/dkim/check?domain=…}: those records against live DNS, by the
 * check the domains page uses.
 */
final class DkimPages extends WebPages {

    private static final String BASE = "/ui/admin/dkim";

    private final DirectoryAdmin admin;
    private final DkimKeyMaker keys;
    private final DkimRecords records;
    private final RecommendedRecords plan;
    private final DnsCheck check;
    private final Executor blocking;

    /** {@code blocking} reads and writes the key files and generates keys. */
    DkimPages(DirectoryAdmin admin, DkimKeyMaker keys, RecommendedRecords plan, DnsCheck check, Executor blocking) {
        this.admin = admin;
        this.keys = keys;
        this.records = new DkimRecords(keys.dir());
        this.plan = plan;
        this.check = check;
        this.blocking = blocking;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> pageLater(v, "DKIM keys", CompletableFuture.supplyAsync(() -> list(v), blocking))),
                        post(() -> form(v, f -> done(v, BASE, make(f)))))),
                path("check", () -> get(() -> parameter("domain", domain -> checkPage(v, domain)))));
    }

    private CompletionStage<String> make(Map<String, String> f) {
        return CompletableFuture.supplyAsync(() -> {
            String domain = DkimKeyMaker.domain(field(f, "domain"));
            String selector = DkimKeyMaker.selector(field(f, "selector"));
            String type = DkimKeyMaker.keyType(field(f, "keytype"));
            int bits = DkimKeyMaker.bits(type, DkimKeyMaker.keySize(field(f, "keysize")));
            DkimKeyMaker.Made made;
            try {
                made = keys.make(domain, selector, type, bits);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the DKIM key under " + keys.dir() + ": " + e.getMessage(), e);
            } catch (DkimException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            if (!made.created()) {
                return "DKIM key for '" + domain + "' with selector '" + selector + "' already exists: not overwritten.";
            }
            return "DKIM key " + made.recordName() + " created" + (DkimKeyMaker.discouraged(type, bits)
                    ? " (RSA keys above 2048 bits are discouraged: some DNS providers cannot publish them)" : "")
                    + ". Publish its TXT record, then check DNS.";
        }, blocking);
    }

    private Html list(Visit v) {
        TreeSet<String> domains = new TreeSet<>(records.domains());
        admin.domains().stream().map(DomainInfo::domain).forEach(domains::add);
        Html rows = Html.each(domains, this::rows);
        return Html.of("""
                <p>The keys this node signs outgoing mail with, in the OpenDKIM directory <code>{}</code> (docker-mailserver's
                layout; every node reading it signs with the same keys and picks new ones up without a restart). Each key's
                TXT record must be published in DNS before receivers can verify the signatures. Rotating a key without a gap
                is done with <code>./mailfleet config dkim rotate</code>; its new key shows here as <em>pending</em>.</p>
                <h2 id="make-heading">Make a key</h2>
                <form method="post" action="/ui/admin/dkim" aria-labelledby="make-heading">
                {}
                <label for="domain">Domain</label>
                <input type="text" id="domain" name="domain" list="known-domains" required autocomplete="off">
                <datalist id="known-domains">{}</datalist>
                <label for="selector">Selector</label>
                <input type="text" id="selector" name="selector" value="{}" required autocomplete="off">
                <label for="keytype">Key type</label>
                <select id="keytype" name="keytype">
                <option value="rsa" selected>RSA (every receiver verifies it)</option>
                <option value="ed25519">Ed25519 (RFC 8463; publish an RSA key under another selector too)</option>
                </select>
                <label for="keysize">RSA key size</label>
                <select id="keysize" name="keysize">
                <option value="" selected>2048 bits (default)</option>
                <option value="1024">1024 bits</option>
                <option value="4096">4096 bits (many DNS providers cannot publish it)</option>
                </select>
                <button type="submit">Make key</button>
                </form>
                <p class="muted">An existing key is never overwritten. The same as
                <code>./mailfleet config dkim domain DOMAIN selector SELECTOR</code>.</p>
                <h2 id="keys-heading">Keys by domain</h2>
                <table id="dkim-keys" aria-labelledby="keys-heading">
                <thead><tr><th scope="col">Domain</th><th scope="col">Selector</th><th scope="col">Signs</th>
                <th scope="col">TXT record to publish</th><th scope="col">Live DNS</th></tr></thead>
                <tbody>
                {}</tbody>
                </table>
                """, keys.dir().toAbsolutePath(), Layout.csrf(v.csrf()),
                Html.each(domains, d -> Html.of("<option value=\"{}\">", d)), DkimKeyMaker.DEFAULT_SELECTOR, rows);
    }

    private Html rows(String domain) {
        List<DkimRecords.Record> keysOf = records.of(domain);
        if (keysOf.isEmpty()) {
            return Html.of("<tr><th scope=\"row\">{}</th><td colspan=\"4\" class=\"muted\">No key: mail from {} is not signed.</td></tr>\n",
                    domain, domain);
        }
        return Html.each(keysOf, k -> {
            String selector = k.name().substring(0, Math.max(0, k.name().indexOf("._domainkey.")));
            String role = switch (k.role()) {
                case SIGNING -> "yes";
                case PENDING -> "pending rotation: publish the record, then ./mailfleet config dkim rotate " + domain + " --confirm";
                case NOT_SIGNING -> "no (an old or extra key)";
            };
            return Html.of("""
                    <tr><th scope="row">{}</th><td>{}</td><td class="dkim-{}">{}</td><td><pre>{}. TXT "{}"</pre></td>
                    <td><a href="/ui/admin/dkim/check?domain={}" aria-label="Check the DKIM records of {} in DNS">Check DNS</a></td></tr>
                    """, domain, selector, k.role().name().toLowerCase(java.util.Locale.ROOT), role, k.name(), record(k.text()),
                    Layout.query(domain), domain);
        });
    }

    /** The TXT value of a {@code <selector>.txt} file (zone-file syntax), as it should be published. */
    private static String record(String zoneText) {
        try {
            return DkimKeys.recordFromZoneFileText(zoneText);
        } catch (DkimException e) {
            return zoneText;
        }
    }

    private Route checkPage(Visit v, String domain) {
        String d;
        try {
            d = DkimKeyMaker.domain(domain);
        } catch (IllegalArgumentException e) {
            return page(v, 404, "Domain not found", Html.of("<p>{} <a href=\"/ui/admin/dkim\">Back to the DKIM keys</a></p>",
                    e.getMessage()));
        }
        CompletionStage<Html> main = CompletableFuture.supplyAsync(() -> plan.of(d).records().stream()
                        .filter(r -> r.name().endsWith("._domainkey." + d)).toList(), blocking)
                .thenCompose(wanted -> wanted.isEmpty()
                        ? CompletableFuture.completedFuture(Html.of("<p id=\"dns-summary\">{} has no DKIM key.</p>", d))
                        : check.check(wanted).thenApply(results -> DomainPages.checkTable(d, results)))
                .thenApply(table -> Html.of("""
                        {}
                        <p><a href="/ui/admin/dkim">Back to the DKIM keys</a> · <a href="/ui/admin/domains/check?domain={}">All
                        records of {}</a></p>
                        """, table, Layout.query(d), d));
        return pageLater(v, "DKIM records of " + d + " in DNS", main);
    }
}
