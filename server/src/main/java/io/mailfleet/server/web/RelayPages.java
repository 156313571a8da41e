package io.mailfleet.server.web;

import io.mailfleet.protocols.outbound.NextHop;
import io.mailfleet.protocols.outbound.RelaySelector;
import io.mailfleet.protocols.outbound.TlsRequirement;
import org.apache.pekko.http.javadsl.server.Route;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * {@code /ui/admin/relay}: the relay selection the node's outbound delivery uses, read-only: the
 * default relay, {@code RELAY_HOST} for the hosted domains, the per-sender-domain relays and exclusions
 * of {@code postfix-relaymap.cf}, which keys have credentials (never a password), and the outbound TLS
 * level per destination of {@code postfix-tls-policy.cf}. {@code ./mailfleet relay} changes them.
 */
final class RelayPages extends WebPages {

    private final Supplier<RelaySelector> relays;
    private final Executor blocking;

    /** {@code relays} may look at the files' modification times, so it is asked on {@code blocking}. */
    RelayPages(Supplier<RelaySelector> relays, Executor blocking) {
        this.relays = relays;
        this.blocking = blocking;
    }

    Route routes(Visit v) {
        return pathEndOrSingleSlash(() -> get(() -> pageLater(v, "Relay hosts",
                CompletableFuture.supplyAsync(() -> render(relays.get().summary()), blocking))));
    }

    private static Html render(RelaySelector.Summary s) {
        Html domainRows = Html.each(s.senderDomainRelays().entrySet(), e -> Html.of(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n", e.getKey(),
                e.getValue().map(NextHop::toString).orElse("excluded: no relay (direct or DEFAULT_RELAY_HOST)"),
                credentials(s, "@" + e.getKey(), e.getValue())));
        Html tlsRows = Html.each(s.tlsPolicies().entrySet(), e -> Html.of(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n", e.getKey(), e.getValue().level().configName(),
                match(e)));
        return Html.of("""
                <p>The relays this node sends outbound mail through, as it uses them now. They are changed with
                <code>./mailfleet relay</code> (or the <code>RELAY_*</code> and <code>DEFAULT_RELAY_HOST</code> variables
                and the files <code>postfix-relaymap.cf</code>, <code>postfix-sasl-password.cf</code> and
                <code>postfix-tls-policy.cf</code>); the node picks file changes up without a restart. Passwords are never shown.</p>
                <dl class="facts" id="relay-summary">
                <dt>Default relay (DEFAULT_RELAY_HOST)</dt><dd>{}</dd>
                <dt>Relay for the hosted domains (RELAY_HOST)</dt><dd>{}</dd>
                <dt>RELAY_USER / RELAY_PASSWORD</dt><dd>{}</dd>
                <dt>Hosted domains</dt><dd>{}</dd>
                </dl>
                <h2 id="domain-relays-heading">Relays by sender domain (postfix-relaymap.cf)</h2>
                {}
                <h2 id="credentials-heading">Relay logins (postfix-sasl-password.cf)</h2>
                {}
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
                        <thead><tr><th scope="col">Sender domain</th><th scope="col">Relay</th><th scope="col">Login</th></tr></thead>
                        <tbody>
                        {}</tbody>
                        </table>
                        """, domainRows),
                s.credentialKeys().isEmpty() ? Html.of("<p id=\"relay-logins\">None.</p>")
                        : Html.of("<ul id=\"relay-logins\">\n{}</ul>", Html.each(s.credentialKeys(),
                        k -> Html.of("<li>{}: a user name and password are set</li>\n", k))),
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
