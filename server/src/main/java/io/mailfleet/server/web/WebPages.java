package io.mailfleet.server.web;

import io.mailfleet.core.ban.BanException;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.server.admin.AdminException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.HttpCookie;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.SameSite;
import org.apache.pekko.http.javadsl.model.headers.SetCookie;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What every group of web UI pages shares: HTML responses with the security headers, the
 * post-redirect-get cycle with a one-time notice cookie, and the CSRF check of every form.
 */
abstract class WebPages extends AllDirectives {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");
    /** The cookie carrying the notice of the last action to the page it redirects to. */
    static final String NOTICE = "mailfleet_notice";
    /** No script, no framing, nothing from elsewhere: the UI needs only its own stylesheet and forms. */
    private static final String CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";

    /** A complete HTML page answering {@code status}; the notice it shows is consumed (its cookie cleared). */
    static HttpResponse html(int status, Html page, boolean clearNotice, boolean secure) {
        List<HttpHeader> headers = new ArrayList<>(securityHeaders());
        if (clearNotice) {
            headers.add(SetCookie.create(cookie(NOTICE, "", secure).withMaxAge(0)));
        }
        return HttpResponse.create().withStatus(status).addHeaders(headers)
                .withEntity(ContentTypes.TEXT_HTML_UTF8, page.toString().getBytes(StandardCharsets.UTF_8));
    }

    static List<HttpHeader> securityHeaders() {
        return List.of(RawHeader.create("Content-Security-Policy", CSP),
                RawHeader.create("X-Content-Type-Options", "nosniff"),
                RawHeader.create("X-Frame-Options", "DENY"),
                RawHeader.create("Referrer-Policy", "no-referrer"),
                RawHeader.create("Cache-Control", "no-store"));
    }

    /** A cookie of the UI: path {@code /ui}, HttpOnly, SameSite=Strict, Secure when the browser came over TLS. */
    static HttpCookie cookie(String name, String value, boolean secure) {
        return HttpCookie.create(name, value).withPath("/ui").withHttpOnly(true).withSecure(secure)
                .withSameSite(SameSite.Strict);
    }

    /** 303 to {@code path}, leaving {@code notice} for that page. */
    static HttpResponse redirect(String path, Optional<Layout.Notice> notice, boolean secure) {
        HttpResponse r = HttpResponse.create().withStatus(StatusCodes.SEE_OTHER).addHeader(Location.create(path))
                .addHeaders(securityHeaders());
        return notice.map(n -> r.addHeader(SetCookie.create(cookie(NOTICE, encodeNotice(n), secure)))).orElse(r);
    }

    static String encodeNotice(Layout.Notice n) {
        // a browser drops a cookie over 4 KiB: a long message (an echoed oversized value) is cut
        String text = n.text().length() > 600 ? n.text().substring(0, 600) + "…" : n.text();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(((n.error() ? "E" : "O") + text).getBytes(StandardCharsets.UTF_8));
    }

    static Optional<Layout.Notice> decodeNotice(String value) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (s.length() < 2 || (s.charAt(0) != 'E' && s.charAt(0) != 'O')) {
                return Optional.empty();
            }
            return Optional.of(new Layout.Notice(s.charAt(0) == 'E', s.substring(1, Math.min(s.length(), 2000))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The page {@code title} with {@code main} for this visit. */
    Route page(Visit v, int status, String title, Html main) {
        return complete(html(status, Layout.page(title, v.session(), v.csrf(), v.notice(), main), v.notice().isPresent(), v.secure()));
    }

    /** As {@link #page}, once {@code main} is known; a failure shows an error page naming it. */
    Route pageLater(Visit v, String title, CompletionStage<Html> main) {
        return completeWithFuture(main.handle((m, err) -> {
            if (err != null) {
                Throwable c = cause(err);
                boolean timeout = c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout");
                LOG.warn("web page {} failed: {}", title, c.toString());
                return html(timeout ? 503 : 500, Layout.page(title, v.session(), v.csrf(), Optional.of(new Layout.Notice(true,
                        (timeout ? "The cluster did not answer in time: " : "The page could not be built: ")
                                + c.getMessage())), Html.empty()), false, v.secure());
            }
            return html(200, Layout.page(title, v.session(), v.csrf(), v.notice(), m), v.notice().isPresent(), v.secure());
        }));
    }

    /** The posted form's fields once its CSRF token is checked; a missing or wrong token is a 403 page. */
    Route form(Visit v, Function<Map<String, String>, Route> inner) {
        return formFieldMap(fields -> {
            if (!SessionCookies.sameToken(v.csrf(), fields.get("csrf"))) {
                LOG.warn("web form refused for {}: missing or wrong CSRF token", v.session().displayName());
                return page(v, 403, "Form refused", Html.of("""
                        <p>The form was refused: its security token is missing or out of date.
                        Go back, reload the page and try again.</p>
                        """));
            }
            return inner.apply(fields);
        });
    }

    /** Runs an action, then redirects to {@code path} with its outcome as the notice (its message, or the error's). */
    Route done(Visit v, String path, CompletionStage<String> action) {
        return completeWithFuture(action.handle((message, err) -> {
            if (err != null) {
                return redirect(path, Optional.of(new Layout.Notice(true, failure(err))), v.secure());
            }
            return redirect(path, Optional.of(new Layout.Notice(false, message)), v.secure());
        }));
    }

    /** What a failed action tells the user: the service's own message where it has one. */
    static String failure(Throwable err) {
        Throwable c = cause(err);
        if (c instanceof AdminException || c instanceof BanException || c instanceof SieveScriptStore.Refused
                || c instanceof IllegalArgumentException) {
            return c.getMessage();
        }
        if (c instanceof TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
            return "The cluster did not answer in time; try again: " + c.getMessage();
        }
        LOG.warn("web action failed: {}", c.toString());
        return "Failed: " + c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    static Throwable cause(Throwable err) {
        Throwable c = err;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A trimmed form field, "" when absent. */
    static String field(Map<String, String> fields, String name) {
        String v = fields.get(name);
        return v == null ? "" : v.strip();
    }
}
