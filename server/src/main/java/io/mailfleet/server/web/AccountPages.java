package io.mailfleet.server.web;

import io.mailfleet.core.directory.DirectoryChange.RestrictionKind;
import io.mailfleet.server.admin.AccountInfo;
import io.mailfleet.server.admin.ChangeResult;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.QuotaUsage;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code /ui/admin/accounts}: the accounts with their quota usage; add, set password, set quota, block or
 * allow sending and receiving (docker-mailserver's restrictions), app passwords, delete.
 */
final class AccountPages extends WebPages {

    private static final String BASE = "/ui/admin/accounts";

    private final DirectoryAdmin admin;
    private final AppPasswordSection appPasswords;
    private final SenderListSection senderLists;

    AccountPages(DirectoryAdmin admin, AppPasswordSection appPasswords, SenderListSection senderLists) {
        this.admin = admin;
        this.appPasswords = appPasswords;
        this.senderLists = senderLists;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> page(v, 200, "Accounts", list(v))),
                        post(() -> form(v, f -> done(v, BASE, said(admin.addAccount(field(f, "address"),
                                f.getOrDefault("password", "")), "Account {} created.")))))),
                pathPrefix(PathMatchers.segment(), address -> {
                    String self = BASE + "/" + Layout.segment(address);
                    return concat(
                            pathEndOrSingleSlash(() -> get(() -> detail(v, address))),
                            appPasswords.routes(v, address.strip().toLowerCase(java.util.Locale.ROOT), self,
                                    "Account " + address),
                            senderLists.routes(v, address.strip().toLowerCase(java.util.Locale.ROOT), self),
                            path("password", () -> post(() -> form(v, f -> done(v, self, said(
                                    admin.updatePassword(address, f.getOrDefault("password", "")),
                                    "Password of {} changed."))))),
                            path("quota", () -> post(() -> form(v, f -> {
                                String quota = field(f, "quota");
                                return done(v, self, quota.isEmpty()
                                        ? said(admin.deleteQuota(address), "Quota of {} removed: the default applies.")
                                        : said(admin.setQuota(address, quota), "Quota of {} set to " + quota + "."));
                            }))),
                            path("restrict", () -> post(() -> form(v, f -> done(v, self, restriction(address, f))))),
                            path("delete", () -> post(() -> form(v, f -> done(v, BASE, said(
                                    admin.deleteAccount(address, "on".equals(f.get("purge"))),
                                    "on".equals(f.get("purge")) ? "Account {} and its mail deleted."
                                            : "Account {} deleted; its mail was kept."))))));
                }));
    }

    /** The change's outcome as a sentence with the normalised address in place of {@code {}}, plus its warnings. */
    static CompletionStage<String> said(CompletionStage<ChangeResult> change, String sentence) {
        return change.thenApply(r -> {
            String s = sentence.replace("{}", r.address());
            if (!r.changed()) {
                s = "Nothing to change for " + r.address() + ".";
            }
            return r.warnings().isEmpty() ? s : s + " " + String.join(" ", r.warnings());
        });
    }

    private CompletionStage<String> restriction(String address, java.util.Map<String, String> f) {
        boolean send = !"receive".equals(f.get("kind"));
        RestrictionKind kind = send ? RestrictionKind.SEND : RestrictionKind.RECEIVE;
        return "block".equals(f.get("action"))
                ? said(admin.restrict(kind, address), "{} is now blocked from " + (send ? "sending." : "receiving."))
                : said(admin.unrestrict(kind, address), "{} may " + (send ? "send" : "receive") + " again.");
    }

    private Html list(Visit v) {
        List<AccountInfo> accounts = admin.listAccounts();
        Html rows = Html.each(accounts, a -> Html.of("""
                <tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>
                """, BASE + "/" + Layout.segment(a.address()), a.address(), usage(a.address(), a.quota()),
                String.join(", ", a.aliases())));
        return Html.of("""
                <h2 id="add-heading">Add an account</h2>
                <form method="post" action="/ui/admin/accounts" aria-labelledby="add-heading">
                {}
                <label for="new-address">Address</label>
                <input type="text" id="new-address" name="address" required autocomplete="off" placeholder="user@example.com">
                <label for="new-password">Password</label>
                <input type="password" id="new-password" name="password" required autocomplete="new-password">
                <button type="submit">Add account</button>
                </form>
                <h2>{} accounts</h2>
                <table id="accounts">
                <thead><tr><th scope="col">Address</th><th scope="col">Storage used</th><th scope="col">Aliases to it</th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, Layout.csrf(v.csrf()), accounts.size(), rows);
    }

    /** A usage bar: a {@code <meter>} against the limit, or the bytes alone when unlimited or quotas are off. */
    static Html usage(String address, Optional<QuotaUsage> quota) {
        if (quota.isEmpty()) {
            return Html.of("<span class=\"muted\">quotas are off</span>");
        }
        QuotaUsage q = quota.get();
        if (q.limitBytes() <= 0) {
            return Html.of("<span data-used=\"{}\">{} (no limit)</span>", q.usedBytes(), Layout.bytes(q.usedBytes()));
        }
        return Html.of("""
                <meter min="0" max="{}" value="{}" aria-label="Storage used by {}" data-account="{}">{}%</meter>
                <span>{} of {} ({}%)</span>""", q.limitBytes(), Math.min(q.usedBytes(), q.limitBytes()), address, address,
                q.percent(), Layout.bytes(q.usedBytes()), Layout.bytes(q.limitBytes()), q.percent());
    }

    private Route detail(Visit v, String address) {
        Optional<AccountInfo> found = admin.listAccounts().stream()
                .filter(a -> a.address().equalsIgnoreCase(address.strip())).findFirst();
        if (found.isEmpty()) {
            return page(v, 404, "No such account", Html.of("<p>{} is not an account. <a href=\"{}\">Back to the accounts</a></p>",
                    address, BASE));
        }
        AccountInfo a = found.get();
        String self = BASE + "/" + Layout.segment(a.address());
        return pageLater(v, "Account " + a.address(), appPasswords.section(v, a.address(), self)
                .thenCombine(senderLists.section(v, a.address(), self), Html::join).thenApply(apps -> Html.of("""
                <dl class="facts">
                <dt>Storage used</dt><dd>{}</dd>
                <dt>Aliases to it</dt><dd>{}</dd>
                </dl>
                <h2 id="password-heading">Set the password</h2>
                <form method="post" action="{}/password" aria-labelledby="password-heading">
                {}
                <label for="password">New password</label>
                <input type="password" id="password" name="password" required autocomplete="new-password">
                <button type="submit">Set password</button>
                </form>
                <h2 id="quota-heading">Quota</h2>
                <form method="post" action="{}/quota" aria-labelledby="quota-heading">
                {}
                <label for="quota">Quota (e.g. 500M, 2G; 0 for unlimited; empty for the default)</label>
                <input type="text" id="quota" name="quota" autocomplete="off">
                <button type="submit">Set quota</button>
                </form>
                <h2>Restrictions</h2>
                <table id="restrictions">
                <tbody>
                {}
                {}
                </tbody>
                </table>
                {}
                <h2 id="delete-heading">Delete</h2>
                <form method="post" action="{}/delete" aria-labelledby="delete-heading">
                {}
                <label class="check"><input type="checkbox" name="purge" id="purge"> Also delete every message of the account</label>
                <button type="submit" class="danger">Delete {}</button>
                </form>
                """, usage(a.address(), a.quota()), a.aliases().isEmpty() ? "none" : String.join(", ", a.aliases()),
                self, Layout.csrf(v.csrf()), self, Layout.csrf(v.csrf()),
                restrictionRow(v, self, a.address(), RestrictionKind.SEND), restrictionRow(v, self, a.address(), RestrictionKind.RECEIVE),
                apps, self, Layout.csrf(v.csrf()), a.address())));
    }

    private Html restrictionRow(Visit v, String self, String address, RestrictionKind kind) {
        boolean blocked = admin.listRestricted(kind).contains(address);
        String what = kind == RestrictionKind.SEND ? "Sending" : "Receiving";
        return Html.of("""
                <tr><th scope="row">{}</th><td>{}</td><td><form class="inline" method="post" action="{}/restrict">{}
                <input type="hidden" name="kind" value="{}"><input type="hidden" name="action" value="{}">
                <button type="submit">{}</button></form></td></tr>
                """, what, blocked ? "blocked" : "allowed", self, Layout.csrf(v.csrf()),
                kind == RestrictionKind.SEND ? "send" : "receive", blocked ? "allow" : "block",
                (blocked ? "Allow " : "Block ") + what.toLowerCase(java.util.Locale.ROOT));
    }
}
