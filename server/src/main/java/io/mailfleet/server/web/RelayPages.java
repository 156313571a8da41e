package io.mailfleet.server.web;

import io.mailfleet.protocols.outbound.NextHop;
import io.mailfleet.protocols.outbound.RelaySelector;
import io.mailfleet.protocols.outbound.TlsRequirement;
import io.mailfleet.server.outbound.RelayFileEditor;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code /ui/admin/relay}: the relay selection the node's outbound delivery uses (the same {@code RelayFiles}
 * the delivery reads): the default relay, {@code RELAY_HOST} for the hosted domains, the per-sender-domain
 * relays and exclusions of {@code postfix-relaymap.cf}, which keys have credentials (never a user name or
 * password), and the outbound TLS level per destination of {@code postfix-tls-policy.cf}. The forms add,
 * exclude and remove a sender domain's relay and set or remove its login through {@link RelayFileEditor},
 * the code of {@code ./mailfleet relay}, with its checks and messages.
 */
final class RelayPages extends WebPages {

    private static final String BASE = "/ui/admin/relay";

    private final Supplier<RelaySelector> relays;
    private final RelayFileEditor editor;
    private final Executor blocking;

    /** {@code relays} may look at the files' modification times and {@code editor} writes files: both run on {@code blocking}. */
    RelayPages(Supplier<RelaySelector> relays, RelayFileEditor editor, Executor blocking) {
        this.relays = relays;
        this.editor = editor;
        this.blocking = blocking;
    }

    Route routes(Visit v) {
        return concat(
                pathEndOrSingleSlash(() -> get(() -> pageLater(v, "Relay hosts",
                        CompletableFuture.supplyAsync(() -> render(v, relays.get().summary()), blocking)))),
                path("domain", () -> post(() -> form(v, f -> change(v, () -> editor.addDomain(
                        field(f, "domain"), field(f, "host"), field(f, "port")))))),
                path("exclude", () -> post(() -> form(v, f -> change(v, () -> editor.excludeDomain(field(f, "domain")))))),
                path("remove-domain", () -> post(() -> form(v, f -> change(v, () -> editor.removeDomain(field(f, "domain")))))),
                // the password is taken exactly as typed (spaces are allowed, as in the CLI) and never shown again
                path("auth", () -> post(() -> form(v, f -> change(v, () -> editor.addLogin(
                        field(f, "domain"), field(f, "user"), f.getOrDefault("password", "")))))),
                path("remove-auth", () -> post(() -> form(v, f -> change(v, () -> editor.removeLogin(field(f, "domain")))))));
    }

    /** Writes a file off the request thread and says what the change means for mail. */
    private Route change(Visit v, Supplier<RelayFileEditor.Written> write) {
        return done(v, BASE, CompletableFuture.supplyAsync(() -> {
            RelayFileEditor.Written w = write.get();
            return capitalized(w.meaning()) + " (" + w.file().getFileName() + ").";
        }, blocking));
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static Html render(Visit v, RelaySelector.Summary s) {
        Html domainRows = Html.each(s.senderDomainRelays().entrySet(), e -> Html.of("""
                <tr><th scope="row">{}</th><td>{}</td><td>{}</td><td><form class="inline" method="post" action="/ui/admin/relay/remove-domain">{}
                <input type="hidden" name="domain" value="{}">
                <button type="submit" class="danger" aria-label="Remove the relay entry of {}">Remove</button></form></td></tr>
                """, e.getKey(),
                e.getValue().map(NextHop::toString).orElse("excluded: no relay (direct or DEFAULT_RELAY_HOST)"),
                credentials(s, "@" + e.getKey(), e.getValue()), Layout.csrf(v.csrf()), e.getKey(), e.getKey()));
        Html loginRows = Html.each(s.credentialKeys(), k -> Html.of("""
                <li>{}: a user name and password are set <form class="inline" method="post" action="/ui/admin/relay/remove-auth">{}
                <input type="hidden" name="domain" value="{}">
                <button type="submit" class="danger" aria-label="Remove the relay login of {}">Remove</button></form></li>
                """, k, Layout.csrf(v.csrf()), k, k));
        Html tlsRows = Html.each(s.tlsPolicies().entrySet(), e -> Html.of(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n", e.getKey(), e.getValue().level().configName(),
                match(e)));
        return Html.of("""
                <p>The relays this node sends outbound mail through, as it uses them now. The forms below write
                <code>postfix-relaymap.cf</code> and <code>postfix-sasl-password.cf</code> as <code>./mailfleet relay</code>
                does; the node picks the change up for the next delivery, without a restart. <code>DEFAULT_RELAY_HOST</code>,
                <code>RELAY_HOST</code> and <code>RELAY_USER</code>/<code>RELAY_PASSWORD</code> are environment variables
                (set them and restart); <code>postfix-tls-policy.cf</code> is edited by hand. Passwords are never shown.</p>
                <dl class="facts" id="relay-summary">
                <dt>Default relay (DEFAULT_RELAY_HOST)</dt><dd>{}</dd>
                <dt>Relay for the hosted domains (RELAY_HOST)</dt><dd>{}</dd>
                <dt>RELAY_USER / RELAY_PASSWORD</dt><dd>{}</dd>
                <dt>Hosted domains</dt><dd>{}</dd>
                </dl>
                <h2 id="domain-relays-heading">Relays by sender domain (postfix-relaymap.cf)</h2>
                {}
                <h3 id="add-relay-heading">Relay a sender domain's mail</h3>
                <form method="post" action="/ui/admin/relay/domain" aria-labelledby="add-relay-heading">
                {}
                <label for="relay-domain">Sender domain</label>
                <input type="text" id="relay-domain" name="domain" required autocomplete="off">
                <label for="relay-host">Relay host (name or IP address)</label>
                <input type="text" id="relay-host" name="host" required autocomplete="off">
                <label for="relay-port">Port</label>
                <input type="text" id="relay-port" name="port" value="25" inputmode="numeric" autocomplete="off">
                <button type="submit">Save relay</button>
                </form>
                <h3 id="exclude-heading">Send a sender domain's mail directly (not through RELAY_HOST)</h3>
                <form method="post" action="/ui/admin/relay/exclude" aria-labelledby="exclude-heading">
                {}
                <label for="exclude-domain">Sender domain</label>
                <input type="text" id="exclude-domain" name="domain" required autocomplete="off">
                <button type="submit">Exclude domain</button>
                </form>
                <h2 id="credentials-heading">Relay logins (postfix-sasl-password.cf)</h2>
                {}
                <h3 id="add-login-heading">Set a relay login</h3>
                <form method="post" action="/ui/admin/relay/auth" aria-labelledby="add-login-heading">
                {}
                <label for="login-domain">Sender domain, or a relay as [host]:port (the default relay's login, for example)</label>
                <input type="text" id="login-domain" name="domain" required autocomplete="off">
                <label for="login-user">User name at the relay</label>
                <input type="text" id="login-user" name="user" required autocomplete="off">
                <label for="login-password">Password at the relay</label>
                <input type="password" id="login-password" name="password" required autocomplete="new-password">
                <button type="submit">Save login</button>
                </form>
                <p class="muted">While any relay login exists, every relay connection needs STARTTLS and AUTH (as in docker-mailserver).</p>
                <h2 id="tls-heading">Outbound TLS</h2>
                <p id="tls-level">Level where the table below has no entry: <strong>{}</strong>{}</p>
                {}
                """,
                s.defaultRelay().map(NextHop::toString).orElse("none: mail goes straight to the recipient's MX"),
                s.relayHost().map(NextHop::toString).orElse("none"),
                s.relayUserSet() ? "set" : "not set",
                s.localDomains().isEmpty() ? "none" : String.join(", ", s.localDomains()),
                s.senderDomainRelays().isEmpty() ? Html.of("<p id=\"domain-relays\">None.</p>") : Html.of("""
                        <table id="domain-relays" aria-labelledby="domain-relays-heading">
                        <thead><tr><th scope="col">Sender domain</th><th scope="col">Relay</th><th scope="col">Login</th><th scope="col"></th></tr></thead>
                        <tbody>
                        {}</tbody>
                        </table>
                        """, domainRows),
                Layout.csrf(v.csrf()), Layout.csrf(v.csrf()),
                s.credentialKeys().isEmpty() ? Html.of("<p id=\"relay-logins\">None.</p>")
                        : Html.of("<ul id=\"relay-logins\">\n{}</ul>", loginRows),
                Layout.csrf(v.csrf()),
                s.effectiveTlsLevel().configName(),
                s.effectiveTlsLevel() != s.tlsLevel()
                        ? Html.of(" (raised from {} because relay logins exist, as docker-mailserver does)",
                        s.tlsLevel().configName()) : Html.empty(),
                s.tlsPolicies().isEmpty() ? Html.of("<p id=\"tls-policies\">No entries in postfix-tls-policy.cf.</p>") : Html.of("""
                        <table id="tls-policies" aria-labelledby="tls-heading">
                        <thead><tr><th scope="col">Destination</th><th scope="col">Level</th><th scope="col">Certificate names</th></tr></thead>
                        <tbody>
                        {}</tbody>
                        </table>
                        """, tlsRows));
    }

    /** Which credentials a sender domain's mail uses, by the selector's order: the domain's, then the relay's. */
    private static String credentials(RelaySelector.Summary s, String domainKey, Optional<NextHop> relay) {
        if (relay.isEmpty()) {
            return "";
        }
        if (s.credentialKeys().contains(domainKey)) {
            return "yes (" + domainKey + ")";
        }
        if (s.credentialKeys().contains(relay.get().toString())) {
            return "yes (" + relay.get() + ")";
        }
        return "none";
    }

    private static String match(Map.Entry<String, TlsRequirement> e) {
        return e.getValue().level().authenticates() ? String.join(", ", e.getValue().effectiveMatch()) : "";
    }
}
