package io.mailfleet.server.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The page frame every web UI page shares: head, skip link, navigation, the notice of the last action, main. */
final class Layout {

    private Layout() {
    }

    /** A notice shown once after an action: a success ({@code status}) or an error ({@code alert}). */
    record Notice(boolean error, String text) {
    }

    /** A complete page for {@code session} (null on the login page), whose forms carry {@code csrf}. */
    static Html page(String title, WebSession session, String csrf, Optional<Notice> notice, Html main) {
        return Html.of("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{} · Mailfleet</title>
                <link rel="stylesheet" href="/ui/static/mailfleet.css">
                </head>
                <body>
                <a class="skip" href="#main">Skip to content</a>
                <header>
                <p class="brand">Mailfleet</p>
                {}
                </header>
                <main id="main">
                <h1>{}</h1>
                {}
                {}
                </main>
                </body>
                </html>
                """, title, session == null ? Html.empty() : nav(session, csrf), title,
                notice.map(Layout::notice).orElse(Html.empty()), main);
    }

    private static Html notice(Notice n) {
        return n.error()
                ? Html.of("<p class=\"notice error\" role=\"alert\" id=\"notice\">{}</p>", n.text())
                : Html.of("<p class=\"notice ok\" role=\"status\" id=\"notice\">{}</p>", n.text());
    }

    private static Html nav(WebSession s, String csrf) {
        Html admin = s.admin() ? Html.of("""
                <li><a href="/ui/admin/accounts">Accounts</a></li>
                <li><a href="/ui/admin/aliases">Aliases</a></li>
                <li><a href="/ui/admin/domains">Domains</a></li>
                <li><a href="/ui/admin/dkim">DKIM</a></li>
                <li><a href="/ui/admin/relay">Relay</a></li>
                <li><a href="/ui/admin/queue">Queue</a></li>
                <li><a href="/ui/admin/bans">Bans</a></li>
                <li><a href="/ui/admin/sessions">Sessions</a></li>
                <li><a href="/ui/admin/cluster">Cluster</a></li>
                <li><a href="/ui/admin/charts">Charts</a></li>
                """) : Html.empty();
        Html own = s.account().map(a -> Html.of("<li><a href=\"/ui/user/{}\">My account</a></li>", segment(a)))
                .orElse(Html.empty());
        return Html.of("""
                <nav aria-label="Main">
                <ul>
                {}{}
                </ul>
                </nav>
                <form class="logout" method="post" action="/ui/logout">
                {}
                <span>Logged in as <strong id="whoami">{}</strong></span>
                <button type="submit">Log out</button>
                </form>
                """, admin, own, csrf(csrf), s.displayName());
    }

    /** {@code value} as one URL path segment (then escaped again where it is written into a page). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code value} as a URL query value. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The hidden CSRF field of a form. */
    static Html csrf(String token) {
        return Html.of("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", token);
    }

    /** A byte count as people read it (binary units, as quotas are written). */
    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
