package io.mailfleet.server.web;

import io.mailfleet.core.sieve.SieveLimits;
import io.mailfleet.server.admin.DirectoryAdmin;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.HttpCookiePair;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The web UI under {@code /ui} on the management listener (and {@code /} redirecting there): the login
 * page, the admin pages and the self-service pages, each behind its session check. Admin pages need an
 * administrator's login; {@code /ui/user/{account}} answers only the session of that account (403 for
 * anyone else). Every POST carries the session's CSRF token.
 */
public final class WebUiRoutes extends WebPages {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");

    private final SessionCookies cookies;
    private final WebLogin login;
    private final AccountPages accounts;
    private final AliasPages aliases;
    private final QueuePages queue;
    private final OperationsPages operations;
    private final DomainPages domains;
    private final ChartPages charts;
    private final SelfServicePages selfService;
    private final RelayPages relay;
    private final DkimPages dkim;

    /** The services the pages work on; every one is what the JSON API uses. */
    public record Services(DirectoryAdmin admin, io.mailfleet.core.service.Authenticator authenticator,
                           io.mailfleet.core.ban.BanService bans, boolean bansEnabled,
                           io.mailfleet.cluster.queue.ClusterMailQueue queue,
                           io.mailfleet.core.service.SessionRegistry sessions,
                           io.mailfleet.server.api.NodeStatusSource status,
                           io.mailfleet.core.service.SieveScriptStore scripts, String hostname,
                           io.mailfleet.server.dns.RecommendedRecords records,
                           java.util.concurrent.Executor blocking,
                           io.mailfleet.server.admin.AppPasswordAdmin appPasswords,
                           io.mailfleet.server.dns.DnsCheck dnsCheck,
                           io.mailfleet.cluster.metrics.ClusterMetricHistory metricHistory,
                           io.mailfleet.server.admin.SenderListAdmin senderLists,
                           java.util.function.Supplier<io.mailfleet.protocols.outbound.RelaySelector> relays,
                           io.mailfleet.server.ShardPlacementSource shards,
                           io.mailfleet.server.outbound.RelayFileEditor relayEditor,
                           io.mailfleet.server.outbound.DkimKeyMaker dkimKeys,
                           io.mailfleet.server.admin.RegexAliasAdmin regexAliases) {
    }

    public WebUiRoutes(SessionCookies cookies, WebLogin login, Services s) {
        this.cookies = cookies;
        this.login = login;
        AppPasswordSection appPasswords = new AppPasswordSection(s.appPasswords());
        SenderListSection senderLists = new SenderListSection(s.senderLists());
        this.accounts = new AccountPages(s.admin(), appPasswords, senderLists);
        this.aliases = new AliasPages(s.admin(), s.regexAliases());
        this.queue = new QueuePages(s.queue());
        this.operations = new OperationsPages(s.bans(), s.bansEnabled(), s.sessions(), s.status(), s.shards());
        this.domains = new DomainPages(s.admin(), s.records(), s.dnsCheck(), s.blocking());
        this.relay = new RelayPages(s.relays(), s.relayEditor(), s.blocking());
        this.dkim = new DkimPages(s.admin(), s.dkimKeys(), s.records(), s.dnsCheck(), s.blocking());
        this.charts = new ChartPages(s.metricHistory(), java.time.Clock.systemUTC());
        this.selfService = new SelfServicePages(s.admin(), s.authenticator(), s.scripts(), SieveLimits.defaults(),
                appPasswords, senderLists);
    }

    /** {@code /} (a redirect to the UI) and everything under {@code /ui}; other paths are left to the API. */
    public Route routes() {
        return concat(
                pathSingleSlash(() -> get(() -> complete(redirect("/ui/", Optional.empty(), false)))),
                pathPrefix("ui", () -> handleExceptions(exceptions(), () -> handleRejections(rejections(), () ->
                        extractRequest(req -> {
                            boolean secure = secure(req);
                            Optional<InetAddress> client = req.getAttribute(AttributeKeys.remoteAddress)
                                    .flatMap(RemoteAddress::getAddress);
                            return concat(
                                    path(PathMatchers.segment("static").slash("mailfleet.css"), () -> get(() ->
                                            getFromResource("io/mailfleet/server/web/mailfleet.css",
                                                    ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8)))),
                                    path("login", () -> concat(
                                            get(() -> optionalCookie(NOTICE, n -> loginPage(secure,
                                                    n.map(HttpCookiePair::value).flatMap(WebPages::decodeNotice), "", 200))),
                                            post(() -> doLogin(secure, client)))),
                                    path("logout", () -> post(() -> loggedIn(secure, client, v -> form(v, f -> logout(secure))))),
                                    loggedIn(secure, client, this::pages));
                        })))));
    }

    private Route pages(Visit v) {
        WebSession s = v.session();
        return concat(
                pathEndOrSingleSlash(() -> get(() -> complete(redirect(home(s), Optional.empty(), v.secure())))),
                pathPrefix("admin", () -> !s.admin() ? forbidden(v) : concat(
                        pathEndOrSingleSlash(() -> get(() -> complete(redirect("/ui/admin/accounts", Optional.empty(),
                                v.secure())))),
                        pathPrefix("accounts", () -> accounts.routes(v)),
                        pathPrefix("aliases", () -> aliases.routes(v)),
                        pathPrefix("queue", () -> queue.routes(v)),
                        pathPrefix("bans", () -> operations.bans(v)),
                        pathPrefix("sessions", () -> operations.sessions(v)),
                        pathPrefix("cluster", () -> operations.cluster(v)),
                        pathPrefix("domains", () -> domains.routes(v)),
                        pathPrefix("charts", () -> charts.routes(v)),
                        pathPrefix("relay", () -> relay.routes(v)),
                        pathPrefix("dkim", () -> dkim.routes(v)))),
                pathPrefix(PathMatchers.segment("user").slash(PathMatchers.segment()), account -> {
                    String key = account.strip().toLowerCase(Locale.ROOT);
                    if (!s.owns(key)) {
                        LOG.warn("web: {} asked for the pages of {}: refused", s.displayName(), key);
                        return forbidden(v);
                    }
                    return selfService.routes(v, key);
                }));
    }

    private static String home(WebSession s) {
        return s.admin() ? "/ui/admin/accounts" : "/ui/user/" + Layout.segment(s.account().orElse(""));
    }

    private Route forbidden(Visit v) {
        return page(v, 403, "Not allowed", Html.of("<p>This page belongs to someone else. <a href=\"{}\">Back to your pages</a></p>",
                home(v.session())));
    }

    /** The session's visit, or (no or expired session) a redirect to the login page. */
    private Route loggedIn(boolean secure, Optional<InetAddress> client, java.util.function.Function<Visit, Route> inner) {
        return optionalCookie(SessionCookies.SESSION, cookie -> {
            Optional<WebSession> session = cookie.map(HttpCookiePair::value).flatMap(cookies::decode);
            if (session.isEmpty()) {
                return complete(redirect("/ui/login", Optional.empty(), secure));
            }
            return optionalCookie(NOTICE, notice -> inner.apply(new Visit(session.get(),
                    notice.map(HttpCookiePair::value).flatMap(WebPages::decodeNotice), secure,
                    cookies.csrfToken(session.get()), client)));
        });
    }

    private Route loginPage(boolean secure, Optional<Layout.Notice> notice, String typed, int status) {
        return optionalCookie(SessionCookies.PRE_LOGIN, pre -> {
            String nonce = pre.map(HttpCookiePair::value).filter(n -> n.length() >= 16)
                    .orElseGet(SessionCookies::randomNonce);
            Html page = Layout.page("Log in", null, null, notice, Html.of("""
                    <p>Administrators log in as <strong>admin</strong> with the node's API token, or with a mail account
                    listed in <code>mailfleet.web.admin-accounts</code>. Everyone else logs in with their mail address and password.</p>
                    <form method="post" action="/ui/login">
                    {}
                    <label for="login">Mail address (or admin)</label>
                    <input type="text" id="login" name="login" value="{}" required autocomplete="username" autofocus>
                    <label for="password">Password (or API token)</label>
                    <input type="password" id="password" name="password" required autocomplete="current-password">
                    <button type="submit">Log in</button>
                    </form>
                    """, Layout.csrf(cookies.loginCsrfToken(nonce)), typed));
            // a notice on a 200 came from the previous page (logout): shown once, then cleared
            HttpResponse r = html(status, page, status == 200 && notice.isPresent(), secure)
                    .addHeader(SetCookie.create(cookie(SessionCookies.PRE_LOGIN, nonce, secure)));
            return complete(r);
        });
    }

    private Route doLogin(boolean secure, Optional<InetAddress> client) {
        return optionalCookie(SessionCookies.PRE_LOGIN, pre -> formFieldMap(f -> {
            String typed = f.getOrDefault("login", "");
            if (pre.isEmpty() || !SessionCookies.sameToken(cookies.loginCsrfToken(pre.get().value()), f.get("csrf"))) {
                return loginPage(secure, Optional.of(new Layout.Notice(true,
                        "The login form was out of date (its security token did not match); try again.")), typed, 403);
            }
            return onSuccess(login.login(typed, f.getOrDefault("password", ""), client), outcome -> {
                if (!outcome.success()) {
                    return loginPage(secure, Optional.of(new Layout.Notice(true, outcome.message())), typed, 401);
                }
                WebSession s = cookies.newSession(outcome.admin(), outcome.account());
                return complete(redirect(home(s), Optional.empty(), secure)
                        .addHeader(SetCookie.create(cookie(SessionCookies.SESSION, cookies.encode(s), secure)
                                .withMaxAge(cookies.lifetime().toSeconds())))
                        .addHeader(SetCookie.create(cookie(SessionCookies.PRE_LOGIN, "", secure).withMaxAge(0))));
            });
        }));
    }

    private Route logout(boolean secure) {
        return complete(redirect("/ui/login", Optional.of(new Layout.Notice(false, "You are logged out.")), secure)
                .addHeader(SetCookie.create(cookie(SessionCookies.SESSION, "", secure).withMaxAge(0))));
    }

    /** Whether the browser reached the node over TLS: directly, or through a proxy that says so. */
    private static boolean secure(HttpRequest req) {
        return req.getUri().scheme().equals("https") || req.getHeader("X-Forwarded-Proto")
                .map(h -> h.value().strip().equalsIgnoreCase("https")).orElse(false);
    }

    private Route plain(int status, String title, Html text) {
        return complete(html(status, Layout.page(title, null, null, Optional.empty(), text), false, false));
    }

    private RejectionHandler rejections() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rs -> plain(405, "Not allowed here",
                        Html.of("<p>This address does not take that kind of request. <a href=\"/ui/\">Start page</a></p>")))
                .handleNotFound(plain(404, "Not found", Html.of("<p>There is no such page. <a href=\"/ui/\">Start page</a></p>")))
                .handleAll(Rejection.class, rs -> plain(400, "Bad request",
                        Html.of("<p>The request could not be read. <a href=\"/ui/\">Start page</a></p>")))
                .build();
    }

    private ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder().matchAny(e -> {
            LOG.warn("web UI request failed: {}", e.toString(), e);
            return plain(500, "Error", Html.of("<p>The request failed: {}</p>", String.valueOf(e.getMessage())));
        }).build();
    }
}
