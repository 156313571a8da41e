package io.mailfleet.server.web;

import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.ParseException;
import io.mailfleet.core.sieve.SieveCompiler;
import io.mailfleet.core.sieve.SieveLimits;
import io.mailfleet.server.admin.AccountInfo;
import io.mailfleet.server.admin.DirectoryAdmin;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /ui/user/{account}}: what a mail user does for themselves: see their quota usage, change their
 * password (the current one is checked like a login), and set a vacation auto-reply (a generated Sieve
 * script, checked by the ManageSieve compiler, stored and activated through the Sieve scripts service),
 * manage their app passwords and edit their raw Sieve scripts ({@link SievePages}).
 * The routes only ever see the logged-in account's own key; the caller refuses any other.
 */
final class SelfServicePages extends WebPages {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.web");

    private final DirectoryAdmin admin;
    private final Authenticator authenticator;
    private final SieveScriptStore scripts;
    private final SieveLimits limits;
    private final AppPasswordSection appPasswords;
    private final SievePages sieve;
    private final SenderListSection senderLists;

    SelfServicePages(DirectoryAdmin admin, Authenticator authenticator, SieveScriptStore scripts, SieveLimits limits,
                     AppPasswordSection appPasswords, SenderListSection senderLists) {
        this.senderLists = senderLists;
        this.admin = admin;
        this.authenticator = authenticator;
        this.scripts = scripts;
        this.limits = limits;
        this.appPasswords = appPasswords;
        this.sieve = new SievePages(scripts, limits);
    }

    /** The pages of {@code account}, which is the visit's own account. */
    Route routes(Visit v, String account) {
        String self = "/ui/user/" + Layout.segment(account);
        return concat(
                pathEndOrSingleSlash(() -> get(() -> pageLater(v, "My account", overview(v, account, Optional.empty())))),
                path("password", () -> post(() -> form(v, f -> done(v, self, changePassword(account, f, v.client()))))),
                path("vacation", () -> post(() -> form(v, f -> vacation(v, account, f)))),
                appPasswords.routes(v, account, self, "My account"),
                senderLists.routes(v, account, self),
                sieve.routes(v, account, self));
    }

    /** Saves the vacation form; a refusal shows the page again with what was typed and the reason, nothing lost. */
    private Route vacation(Visit v, String account, Map<String, String> f) {
        String self = "/ui/user/" + Layout.segment(account);
        return onComplete(saveVacation(account, f), result -> {
            if (result.isSuccess()) {
                return complete(redirect(self, Optional.of(new Layout.Notice(false, result.get())), v.secure()));
            }
            Visit refused = new Visit(v.session(), Optional.of(new Layout.Notice(true, failure(result.failed().get()))),
                    v.secure(), v.csrf(), v.client());
            VacationScript.Form typed = new VacationScript.Form(f.getOrDefault("subject", ""),
                    f.getOrDefault("message", ""), f.getOrDefault("days", ""));
            return pageLater(refused, "My account", overview(refused, account,
                    Optional.of(new Typed(typed, "on".equals(f.get("enabled"))))));
        });
    }

    /** The vacation form as the user typed it, shown again after a refusal. */
    private record Typed(VacationScript.Form form, boolean enabled) {
    }

    private CompletionStage<String> changePassword(String account, Map<String, String> f, Optional<InetAddress> client) {
        String current = f.getOrDefault("current", "");
        String next = f.getOrDefault("password", "");
        if (next.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("The new password must not be empty."));
        }
        if (!next.equals(f.getOrDefault("confirm", ""))) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("The two new passwords differ."));
        }
        String ip = client.map(InetAddress::getHostAddress).orElse("unknown");
        return authenticator.authenticate(account, current, "web", ip).thenCompose(r -> {
            if (!r.success()) {
                throw new IllegalArgumentException("The current password is wrong; the password was not changed.");
            }
            return admin.updatePassword(account, next);
        }).thenApply(r -> {
            LOG.info("web password changed user={} rip={}", account, ip);
            return "Your password was changed. Use the new one in your mail programs.";
        });
    }

    private CompletionStage<String> saveVacation(String account, Map<String, String> f) {
        boolean on = "on".equals(f.get("enabled"));
        if (!on) {
            return scripts.list(account).thenCompose(list -> list.stream()
                    .anyMatch(s -> s.active() && s.name().equals(VacationScript.NAME))
                    ? scripts.setActive(account, "").thenApply(x -> "Vacation reply turned off.")
                    : CompletableFuture.completedFuture("Vacation reply is off."));
        }
        String source;
        try {
            source = VacationScript.script(new VacationScript.Form(f.getOrDefault("subject", ""),
                    f.getOrDefault("message", ""), f.getOrDefault("days", "")));
            SieveCompiler.compile(VacationScript.NAME, source, limits);
        } catch (ParseException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "The Sieve script was refused: line " + e.line() + ": " + e.reason()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return scripts.put(account, VacationScript.NAME, source)
                .thenCompose(x -> scripts.setActive(account, VacationScript.NAME))
                .thenApply(x -> "Vacation reply turned on.");
    }

    private CompletionStage<Html> overview(Visit v, String account, Optional<Typed> typed) {
        Optional<AccountInfo> info = admin.listAccounts().stream().filter(a -> a.address().equals(account)).findFirst();
        String self = "/ui/user/" + Layout.segment(account);
        return appPasswords.section(v, account, self).thenCombine(senderLists.section(v, account, self), Html::join)
                .thenCompose(apps -> scripts.list(account).thenCompose(list -> {
            boolean active = list.stream().anyMatch(s -> s.active() && s.name().equals(VacationScript.NAME));
            Optional<String> otherActive = list.stream().filter(s -> s.active() && !s.name().equals(VacationScript.NAME))
                    .map(SieveScriptStore.ScriptInfo::name).findFirst();
            return scripts.get(account, VacationScript.NAME).thenApply(src -> {
                VacationScript.Form form = typed.map(Typed::form)
                        .orElse(src.flatMap(VacationScript::parse).orElse(VacationScript.Form.EMPTY));
                boolean checked = typed.map(Typed::enabled).orElse(active);
                return Html.of("""
                        <h2>Storage</h2>
                        <p id="quota">{}</p>
                        <h2 id="password-heading">Change your password</h2>
                        <form method="post" action="{}/password" aria-labelledby="password-heading">
                        {}
                        <label for="current">Current password</label>
                        <input type="password" id="current" name="current" required autocomplete="current-password">
                        <label for="password">New password</label>
                        <input type="password" id="password" name="password" required autocomplete="new-password">
                        <label for="confirm">New password again</label>
                        <input type="password" id="confirm" name="confirm" required autocomplete="new-password">
                        <button type="submit">Change password</button>
                        </form>
                        <h2 id="vacation-heading">Vacation auto-reply</h2>
                        {}
                        <form method="post" action="{}/vacation" aria-labelledby="vacation-heading">
                        {}
                        <label class="check"><input type="checkbox" id="enabled" name="enabled"{}> Answer incoming mail automatically</label>
                        <label for="subject">Subject</label>
                        <input type="text" id="subject" name="subject" value="{}">
                        <label for="message">Message</label>
                        <textarea id="message" name="message" rows="6">{}</textarea>
                        <label for="days">Days before answering the same sender again</label>
                        <input type="number" id="days" name="days" value="{}">
                        <button type="submit">Save vacation reply</button>
                        </form>
                        <p><a href="{}/sieve">Edit your Sieve filters</a> (the raw scripts, as a ManageSieve client sees them)</p>
                        {}
                        """, info.map(a -> AccountPages.usage(a.address(), a.quota())).orElse(Html.of("unknown")),
                        self, Layout.csrf(v.csrf()),
                        otherActive.map(n -> Html.of("<p class=\"muted\">Turning the reply on replaces your active Sieve script “{}” "
                                + "as the active one (it is kept).</p>", n)).orElse(Html.empty()),
                        self, Layout.csrf(v.csrf()), checked ? Html.of(" checked") : Html.empty(), form.subject(),
                        form.message(), form.days(), self, apps);
            });
        }));
    }
}
