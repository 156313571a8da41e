package io.mailfleet.server.web;

import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.core.sieve.SieveLimits;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@code /ui/user/{account}/sieve}: the user's Sieve scripts as a ManageSieve client shows them: list,
 * edit the raw text, make one active or none, delete. A script is checked by the same compiler as
 * ManageSieve's PUTSCRIPT; a refused one comes back in the editor with the line and reason, nothing lost.
 */
final class SievePages extends WebPages {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");
    private static final String TITLE = "My Sieve filters";

    private final SieveScriptStore scripts;
    private final SieveLimits limits;

    SievePages(SieveScriptStore scripts, SieveLimits limits) {
        this.scripts = scripts;
        this.limits = limits;
    }

    /** The pages below {@code <self>/sieve} of {@code account}, the visit's own account. */
    Route routes(Visit v, String account, String self) {
        String base = self + "/sieve";
        return pathPrefix("sieve", () -> concat(
                pathEndOrSingleSlash(() -> concat(
                        get(() -> pageLater(v, TITLE, list(v, account, base))),
                        post(() -> form(v, f -> save(v, account, base, f))))),
                path("activate", () -> post(() -> form(v, f -> done(v, base, activate(account, field(f, "name")))))),
                path("delete", () -> post(() -> form(v, f -> done(v, base, delete(account, field(f, "name")))))),
                path(PathMatchers.segment(), name -> get(() -> pageLater(v, "Edit " + name, edit(v, account, base, name))))));
    }

    private CompletionStage<Html> edit(Visit v, String account, String base, String name) {
        return scripts.get(account, name).thenApply(src -> src
                .map(s -> editor(v, base, name, s, Optional.empty()))
                .orElseGet(() -> Html.of("<p>There is no script “{}”. <a href=\"{}\">Back</a></p>", name, base)));
    }

    private CompletionStage<String> delete(String account, String name) {
        return scripts.delete(account, name).thenApply(x -> "Script “" + name + "” deleted.");
    }

    private CompletionStage<Html> list(Visit v, String account, String base) {
        return scripts.list(account).thenApply(list -> {
            Html rows = Html.each(list, s -> Html.of("""
                    <tr><th scope="row"><a href="{}/{}">{}</a></th><td>{}</td>
                    <td><form class="inline" method="post" action="{}/activate">{}
                    <input type="hidden" name="name" value="{}"><button type="submit">{}</button></form>
                    <form class="inline" method="post" action="{}/delete">{}
                    <input type="hidden" name="name" value="{}">
                    <button type="submit" class="danger" aria-label="Delete script {}"{}>Delete</button></form></td></tr>
                    """, base, Layout.segment(s.name()), s.name(), s.active() ? "active" : "inactive",
                    base, Layout.csrf(v.csrf()), s.active() ? "" : s.name(), s.active() ? "Deactivate" : "Activate",
                    base, Layout.csrf(v.csrf()), s.name(), s.name(), s.active() ? Html.of(" disabled") : Html.empty()));
            return Html.join(Html.of("""
                    <p>Sieve scripts sort and answer your incoming mail (RFC 5228). At most one is active. The
                    vacation reply on <a href="{}">your account page</a> is a script here too. A ManageSieve client
                    (port 4190) sees the same scripts.</p>
                    """, base.substring(0, base.length() - "/sieve".length())),
                    list.isEmpty() ? Html.of("<p id=\"scripts\">No scripts yet.</p>") : Html.of("""
                    <table id="scripts">
                    <thead><tr><th scope="col">Script</th><th scope="col">State</th><th scope="col"></th></tr></thead>
                    <tbody>
                    {}
                    </tbody>
                    </table>
                    """, rows), Html.of("<h2>New script</h2>"), editor(v, base, "", "require [\"fileinto\"];\n", Optional.empty()));
        });
    }

    private static Html editor(Visit v, String base, String name, String source, Optional<String> error) {
        return Html.of("""
                {}
                <form method="post" action="{}" aria-label="Sieve script">
                {}
                <label for="script-name">Name</label>
                <input type="text" id="script-name" name="name" value="{}" required autocomplete="off" maxlength="128">
                <label for="script-source">Script</label>
                <textarea id="script-source" name="source" rows="16" spellcheck="false">{}</textarea>
                <label class="check"><input type="checkbox" name="activate" id="script-activate"> Make it the active script</label>
                <button type="submit">Save script</button>
                </form>
                """, error.map(e -> Html.of("<p class=\"notice error\" role=\"alert\" id=\"script-error\">{}</p>", e))
                        .orElse(Html.empty()), base, Layout.csrf(v.csrf()), name, source);
    }

    private Route save(Visit v, String account, String base, Map<String, String> f) {
        String name = field(f, "name");
        String source = f.getOrDefault("source", "");
        try {
            SieveCompiler.compile(name, source, limits);
        } catch (ParseException e) {
            return page(v, 400, "Edit " + name, editor(v, base, name, source,
                    Optional.of("The script was not saved: line " + e.line() + ": " + e.reason())));
        } catch (IllegalArgumentException e) {
            return page(v, 400, "Edit " + name, editor(v, base, name, source,
                    Optional.of("The script was not saved: " + e.getMessage())));
        }
        boolean activate = "on".equals(f.get("activate"));
        CompletionStage<Void> stored = scripts.put(account, name, source);
        CompletionStage<Void> after = activate ? stored.thenCompose(x -> scripts.setActive(account, name)) : stored;
        return onComplete(after, result -> {
            if (result.isFailure()) {
                return page(v, 400, "Edit " + name, editor(v, base, name, source,
                        Optional.of("The script was not saved: " + failure(result.failed().get()))));
            }
            LOG.info("web sieve script saved user={} name={} active={}", account, name, activate);
            return complete(redirect(base, Optional.of(new Layout.Notice(false, "Script “" + name + "” saved"
                    + (activate ? " and active." : "."))), v.secure()));
        });
    }

    private CompletionStage<String> activate(String account, String name) {
        return scripts.setActive(account, name)
                .thenApply(x -> name.isEmpty() ? "No script is active now." : "Script “" + name + "” is active.");
    }
}
