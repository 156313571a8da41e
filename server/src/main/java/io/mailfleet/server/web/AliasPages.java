package io.mailfleet.server.web;

import io.mailfleet.server.admin.AliasInfo;
import io.mailfleet.server.admin.DirectoryAdmin;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.List;

/**
 * {@code /ui/admin/aliases}: aliases and their targets; add, remove one target. The regular-expression
 * aliases are shown read-only: they come only from {@code postfix-regexp.cf}, which the directory
 * service does not edit.
 */
final class AliasPages extends WebPages {

    private static final String BASE = "/ui/admin/aliases";

    private final DirectoryAdmin admin;

    AliasPages(DirectoryAdmin admin) {
        this.admin = admin;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> page(v, 200, "Aliases", list(v))),
                        post(() -> form(v, f -> done(v, BASE, AccountPages.said(
                                admin.addAlias(field(f, "alias"), field(f, "target")), "Alias {} saved.")))))),
                path("remove", () -> post(() -> form(v, f -> done(v, BASE, AccountPages.said(
                        admin.removeAlias(field(f, "alias"), field(f, "target")),
                        "Target " + field(f, "target") + " removed from {}."))))));
    }

    private Html list(Visit v) {
        List<AliasInfo> aliases = admin.listAliases();
        List<io.mailfleet.core.directory.RegexAlias> regex = admin.listRegexAliases();
        Html regexRows = Html.each(regex, r -> Html.of("<tr><td><code>{}</code></td><td>{}</td></tr>\n", r.pattern(),
                String.join(", ", r.targets())));
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
                <p class="muted">Read from <code>postfix-regexp.cf</code> in the docker-mailserver configuration directory
                (<code>DMS_CONFIG_DIR</code>) and tried in this order after the aliases above; edit that file to change
                them (the node reloads it on its own).</p>
                {}
                """, Layout.csrf(v.csrf()), aliases.size(), rows, regex.size(), regex.isEmpty()
                        ? Html.of("<p id=\"regexp-aliases\">None.</p>")
                        : Html.of("""
                        <table id="regexp-aliases" aria-labelledby="regexp-heading">
                        <thead><tr><th scope="col">Pattern</th><th scope="col">Targets</th></tr></thead>
                        <tbody>
                        {}
                        </tbody>
                        </table>
                        """, regexRows));
    }
}
