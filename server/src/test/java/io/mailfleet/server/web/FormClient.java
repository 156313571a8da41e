package io.mailfleet.server.web;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser without JavaScript, logged in to the web UI: it keeps the session cookie and the CSRF
 * token the pages carry, sends forms as {@code application/x-www-form-urlencoded} and follows a
 * redirect with the notice cookie it set.
 */
final class FormClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String cookie;
    private final String csrf;

    private FormClient(String base, String cookie, String csrf) {
        this.base = base;
        this.cookie = cookie;
        this.csrf = csrf;
    }

    /** Logs in through the login form (its page first, for the pre-login cookie and token); fails the test if refused. */
    static FormClient login(String base, String name, String password) throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ui/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), page.body());
        String pre = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SessionCookies.PRE_LOGIN + "=")).findFirst().orElseThrow().split(";", 2)[0];
        HttpResponse<String> in = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ui/login")).header("Cookie", pre)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form("csrf", m.group(1), "login", name, "password", password)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, in.statusCode(), in.body());
        String cookie = in.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(SessionCookies.SESSION + "=")).findFirst().orElseThrow().split(";", 2)[0];
        FormClient bare = new FormClient(base, cookie, "");
        Matcher own = CSRF.matcher(bare.get(in.headers().firstValue("Location").orElseThrow()).body());
        assertTrue(own.find());
        return new FormClient(base, cookie, own.group(1));
    }

    /** The same session sending {@code token} as its CSRF token (a forged or stale form). */
    FormClient withCsrf(String token) {
        return new FormClient(base, cookie, token);
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs the form fields {@code pairs} (name, value, …) with this session's CSRF token. */
    HttpResponse<String> post(String path, String... pairs) throws Exception {
        String[] all = new String[pairs.length + 2];
        all[0] = "csrf";
        all[1] = csrf;
        System.arraycopy(pairs, 0, all, 2, pairs.length);
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(all))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The page a redirect leads to, with the notice cookie it set, as a browser follows it. */
    HttpResponse<String> follow(HttpResponse<String> redirect) throws Exception {
        String notice = redirect.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(WebPages.NOTICE + "=")).findFirst().orElseThrow().split(";", 2)[0];
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + redirect.headers().firstValue("Location").orElseThrow()))
                .header("Cookie", cookie + "; " + notice).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The notice a redirect leaves for the next page, "" when none. */
    static String notice(HttpResponse<String> redirect) {
        return redirect.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(WebPages.NOTICE + "="))
                .map(c -> c.split(";", 2)[0].substring(WebPages.NOTICE.length() + 1))
                .flatMap(v -> WebPages.decodeNotice(v).stream()).map(Layout.Notice::text).findFirst().orElse("");
    }

    private static String form(String... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}
