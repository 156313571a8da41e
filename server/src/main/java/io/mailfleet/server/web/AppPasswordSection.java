package io.mailfleet.server.web;

import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.server.admin.AppPasswordAdmin;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An account's app passwords on a page: the list with revoke buttons and the form that makes one. The
 * same section serves the administrator's account page and the user's own page; the new password is
 * shown once, on the page answering the form (never in a redirect or a cookie).
 */
final class AppPasswordSection extends WebPages {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");

    private final AppPasswordAdmin admin;

    AppPasswordSection(AppPasswordAdmin admin) {
        this.admin = admin;
    }

    /**
     * {@code <base>/app-passwords} (make one) and {@code <base>/app-passwords/revoke}.
     *
     * @param base    the page the section is on; revoking returns there
     * @param title   that page's title, for the page showing the new password
     */
    Route routes(Visit v, String account, String base, String title) {
        return pathPrefix("app-passwords", () -> concat(
                pathEndOrSingleSlash(() -> post(() -> form(v, f -> create(v, account, base, title, f)))),
                path("revoke", () -> post(() -> form(v, f -> done(v, base, revoke(v, account, field(f, "name"))))))));
    }

    /** The section's HTML for {@code account}; {@code base} is the page it is on. */
    CompletionStage<Html> section(Visit v, String account, String base) {
        return list(account).thenApply(list -> render(v, base, list));
    }

    private CompletionStage<List<AppPassword>> list(String account) {
        try {
            return admin.list(account);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Html render(Visit v, String base, List<AppPassword> list) {
        Html rows = Html.each(list, p -> Html.of("""
                <tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td>
                <td><form class="inline" method="post" action="{}/app-passwords/revoke">{}
                <input type="hidden" name="name" value="{}">
                <button type="submit" class="danger" aria-label="Revoke app password {}">Revoke</button></form></td></tr>
                """, p.name(), String.join(", ", p.scopes()), p.networks().isEmpty() ? "any" : String.join(", ", p.networks()),
                p.expiresAt() == null ? "never" : p.expiresAt().toString(), p.createdAt().toString(),
                base, Layout.csrf(v.csrf()), p.name(), p.name()));
        return Html.of("""
                <h2 id="app-passwords-heading">App passwords</h2>
                <p class="muted">A separate password per mail program or device, usable instead of the main password
                only for the protocols it is made for, and revocable on its own.</p>
                {}
                <form method="post" action="{}/app-passwords" aria-labelledby="app-passwords-heading">
                {}
                <label for="app-name">Name (letters, digits, '.', '_' or '-'; e.g. phone)</label>
                <input type="text" id="app-name" name="name" required autocomplete="off" maxlength="64">
                <fieldset><legend>For</legend>
                <label class="check"><input type="checkbox" name="scope-imap" id="scope-imap" checked> IMAP</label>
                <label class="check"><input type="checkbox" name="scope-smtp" id="scope-smtp" checked> SMTP (sending)</label>
                <label class="check"><input type="checkbox" name="scope-pop3" id="scope-pop3"> POP3</label>
                <label class="check"><input type="checkbox" name="scope-sieve" id="scope-sieve"> ManageSieve</label>
                </fieldset>
                <label for="app-expires">Expires (optional, e.g. 2027-01-31T00:00:00Z)</label>
                <input type="text" id="app-expires" name="expires" autocomplete="off">
                <label for="app-networks">Only from these networks (optional, separated by commas, e.g. 192.0.2.0/24)</label>
                <input type="text" id="app-networks" name="networks" autocomplete="off">
                <button type="submit">Make app password</button>
                </form>
                """, list.isEmpty() ? Html.of("<p id=\"app-passwords\">No app passwords.</p>") : Html.of("""
                <table id="app-passwords">
                <thead><tr><th scope="col">Name</th><th scope="col">For</th><th scope="col">From</th>
                <th scope="col">Expires</th><th scope="col">Made</th><th scope="col"></th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                """, rows), base, Layout.csrf(v.csrf()));
    }

    private Route create(Visit v, String account, String base, String title, Map<String, String> f) {
        List<String> scopes = new ArrayList<>();
        for (String s : List.of("imap", "pop3", "smtp", "sieve")) {
            if ("on".equals(f.get("scope-" + s))) {
                scopes.add(s);
            }
        }
        List<String> networks = Arrays.stream(field(f, "networks").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        CompletionStage<AppPasswordAdmin.Created> made;
        try {
            made = admin.add(account, field(f, "name"), scopes, field(f, "expires"), networks);
        } catch (RuntimeException e) {
            made = CompletableFuture.failedFuture(e);
        }
        return onComplete(made, result -> {
            if (result.isFailure()) {
                return complete(redirect(base, Optional.of(new Layout.Notice(true, failure(result.failed().get()))),
                        v.secure()));
            }
            AppPasswordAdmin.Created c = result.get();
            LOG.info("web app password made user={} name={} by={}", c.account(), c.name(), v.session().displayName());
            return page(v, 200, title, Html.of("""
                    <p class="notice ok" role="status" id="notice">App password “{}” made for {}.</p>
                    <p>Enter it in the mail program instead of the main password. It is shown <strong>only now</strong>:</p>
                    <p><code id="new-app-password">{}</code></p>
                    <p><a href="{}">Done</a></p>
                    """, c.name(), String.join(", ", c.details().scopes()), c.password(), base));
        });
    }

    private CompletionStage<String> revoke(Visit v, String account, String name) {
        try {
            return admin.revoke(account, name).thenApply(key -> {
                LOG.info("web app password revoked user={} name={} by={}", key, name, v.session().displayName());
                return "App password “" + name + "” revoked.";
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
