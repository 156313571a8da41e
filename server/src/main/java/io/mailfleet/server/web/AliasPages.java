package io.mailfleet.server.web;

import io.mailfleet.server.admin.AliasInfo;
import io.mailfleet.server.admin.DirectoryAdmin;
import io.mailfleet.server.admin.RegexAliasAdmin;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /ui/admin/aliases}: aliases and their targets; add, remove one target. Below them the
 * regular-expression aliases ({@code postfix-regexp.cf}) in the order they are tried: add or replace one
 * ({@code /ui/admin/aliases/regexp}), remove one; a pattern the file's parser refuses comes back with the
 * reason and the text as typed.
 */
final class AliasPages extends WebPages {

    private static final String BASE = "/ui/admin/aliases";

    private final DirectoryAdmin admin;
    private final RegexAliasAdmin regex;

    AliasPages(DirectoryAdmin admin, RegexAliasAdmin regex) {
        this.admin = admin;
        this.regex = regex;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> page(v, 200, "Aliases", list(v, "", ""))),
                        post(() -> form(v, f -> done(v, BASE, AccountPages.said(
                                admin.addAlias(field(f, "alias"), field(f, "target")), "Alias {} saved.")))))),
                path("remove", () -> post(() -> form(v, f -> done(v, BASE, AccountPages.said(
                        admin.removeAlias(field(f, "alias"), field(f, "target")),
                        "Target " + field(f, "target") + " removed from {}."))))),
                pathPrefix("regexp", () -> concat(
                        pathEndOrSingleSlash(() -> post(() -> form(v, f -> saveRegex(v, f)))),
                        path("remove", () -> post(() -> form(v, f -> done(v, BASE,
                                regex.remove(field(f, "pattern")).thenApply(r -> "Regular-expression alias "
                                        + r.address() + " removed."))))))));
    }

    /** Saves a regular-expression alias; a refusal shows the page again with the reason and the text as typed. */
    private Route saveRegex(Visit v, Map<String, String> f) {
        String pattern = f.getOrDefault("pattern", "");
        String targets = f.getOrDefault("targets", "");
        return completeWithFuture(regex.put(pattern, targets).handle((r, err) -> err == null
                ? redirect(BASE, Optional.of(new Layout.Notice(false, "Regular-expression alias " + r.address() + " saved.")),
                        v.secure())
                : html(400, Layout.page("Aliases", v.session(), v.csrf(), Optional.of(new Layout.Notice(true,
                        "The regular-expression alias was not saved: " + failure(err))), list(v, pattern, targets)),
                        false, v.secure())));
    }

    private Html list(Visit v, String typedPattern, String typedTargets) {
        List<AliasInfo> aliases = admin.listAliases();
        List<io.mailfleet.core.directory.RegexAlias> regexAliases = regex.list();
        Html regexRows = Html.each(regexAliases, r -> Html.of("""
                <tr><td><code>{}</code></td><td>{}</td><td><form class="inline" method="post" action="/ui/admin/aliases/regexp/remove">{}
                <input type="hidden" name="pattern" value="{}">
                <button type="submit" class="danger" aria-label="Remove the regular-expression alias {}">Remove</button></form></td></tr>
                """, r.pattern(), String.join(", ", r.targets()), Layout.csrf(v.csrf()), r.pattern(), r.pattern()));
        Html rows = Html.each(aliases, a -> Html.of("<tr><th scope=\"row\">{}</th><td><ul>{}</ul></td></tr>\n", a.alias(),
                Html.each(a.targets(), t -> Html.of("""
                        <li>{} <form class="inline" method="post" action="/ui/admin/aliases/remove">{}
                        <input type="hidden" name="alias" value="{}"><input type="hidden" name="target" value="{}">
                        <button type="submit" class="danger" aria-label="Remove {} from {}">Remove</button></form></li>
                        """, t, Layout.csrf(v.csrf()), a.alias(), t, t, a.alias()))));
        return Html.of("""
                <h2 id="add-heading">Add an alias</h2>
                <form method="post" action="/ui/admin/aliases" aria-labelledby="add-heading">
                {}
                <label for="alias">Alias (an address, or @domain for a catch-all)</label>
                <input type="text" id="alias" name="alias" required autocomplete="off">
                <label for="target">Targets (addresses, separated by commas)</label>
                <input type="text" id="target" name="target" required autocomplete="off">
                <button type="submit">Add alias</button>
                </form>
                <h2>{} aliases</h2>
                <table id="aliases">
                <thead><tr><th scope="col">Alias</th><th scope="col">Targets</th></tr></thead>
                <tbody>
                {}
                </tbody>
                </table>
                <h2 id="regexp-heading">{} regular-expression aliases</h2>
                <p class="muted">docker-mailserver's <code>postfix-regexp.cf</code> (in the configuration directory,
                <code>DMS_CONFIG_DIR</code>, when there is one): tried in this order after the aliases above, for any
                address. A pattern is <code>/regular expression/flags</code> (flag <code>i</code>: ignore case);
                a target may use the pattern's groups (<code>$1</code>).</p>
                {}
                <h3 id="regexp-add-heading">Add a regular-expression alias</h3>
                <form method="post" action="/ui/admin/aliases/regexp" aria-labelledby="regexp-add-heading">
                {}
                <label for="pattern">Pattern, e.g. <code>/^sales-.*@example\\.com$/</code> (the same pattern again replaces its targets)</label>
                <input type="text" id="pattern" name="pattern" value="{}" required autocomplete="off" spellcheck="false">
                <label for="targets">Targets (addresses, separated by commas)</label>
                <input type="text" id="targets" name="targets" value="{}" required autocomplete="off">
                <button type="submit">Save regular-expression alias</button>
                </form>
                """, Layout.csrf(v.csrf()), aliases.size(), rows, regexAliases.size(), regexAliases.isEmpty()
                        ? Html.of("<p id=\"regexp-aliases\">None.</p>")
                        : Html.of("""
                        <table id="regexp-aliases" aria-labelledby="regexp-heading">
                        <thead><tr><th scope="col">Pattern</th><th scope="col">Targets</th><th scope="col"></th></tr></thead>
                        <tbody>
                        {}
                        </tbody>
                        </table>
                        """, regexRows), Layout.csrf(v.csrf()), typedPattern, typedTargets);
    }
}
