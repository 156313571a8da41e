package io.mailfleet.server.dns;

import io.mailfleet.server.config.AutoconfigSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MtaStsServerSettings;
import io.mailfleet.server.mtasts.OwnPolicy;
import io.mailfleet.server.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the recommended records of {@link RecommendedRecords} depend on, read from the node's settings.
 *
 * @param hostname      the MX host name clients and servers connect to
 * @param relayHost     the host outgoing mail leaves through ({@code RELAY_HOST} / {@code DEFAULT_RELAY_HOST}), or empty
 * @param reportAddress {@code mailfleet.dmarc.reports.address}, or empty for {@code postmaster@<domain>}
 * @param services      the RFC 6186 / 8314 services, port 0 for those this node does not run
 * @param autodiscover  client auto-configuration is on (then {@code _autodiscover._tcp} is published)
 * @param mtaSts        the MTA-STS policy of the hosted domains ({@code mailfleet.mta-sts-server})
 */
public record DnsPlanSettings(String hostname, Optional<String> relayHost, Optional<String> reportAddress,
                              List<Service> services, boolean autodiscover, OwnPolicy mtaSts) {

    /** Settings with the default MTA-STS policy ({@code mode: testing}, {@code mx:} the hostname, a week). */
    public DnsPlanSettings(String hostname, Optional<String> relayHost, Optional<String> reportAddress,
                           List<Service> services, boolean autodiscover) {
        this(hostname, relayHost, reportAddress, services, autodiscover,
                OwnPolicy.of("testing", 604800, List.of(hostname.toLowerCase(java.util.Locale.ROOT))));
    }

    /** One SRV service: its label ({@code _imaps}), the port (0 = not offered) and its SRV priority. */
    public record Service(String label, int port, int priority) {
    }

    public DnsPlanSettings {
        services = List.copyOf(services);
    }

    /** The settings of a loaded configuration; {@code tls} says whether TLS is on, which the implicit-TLS listeners need. */
    public static DnsPlanSettings of(LoadedConfig loaded, boolean tls) {
        Settings s = loaded.settings();
        String relay = !s.outbound().relayHost().isEmpty() ? s.outbound().relayHost() : s.outbound().defaultRelayHost();
        // the key arrives with DMARC aggregate reports; until then (and when empty) postmaster receives them
        String key = "mailfleet.dmarc.reports.address";
        Optional<String> reports = loaded.config().hasPath(key)
                ? Optional.of(loaded.config().getString(key).strip()).filter(a -> a.contains("@")) : Optional.empty();
        // Mirrors MailListeners: implicit-TLS listeners start only with TLS on, submission always
        List<Service> services = new ArrayList<>();
        services.add(new Service("_submissions", tls ? s.smtp().submissionsPort() : 0, 0));
        services.add(new Service("_submission", s.smtp().submissionPort(), 1));
        services.add(new Service("_imaps", s.imap().enabled() && tls ? s.imap().tlsPort() : 0, 0));
        services.add(new Service("_imap", s.imap().enabled() ? s.imap().port() : 0, 1));
        services.add(new Service("_pop3s", s.pop3().enabled() && tls ? s.pop3().tlsPort() : 0, 0));
        services.add(new Service("_pop3", s.pop3().enabled() ? s.pop3().port() : 0, 1));
        return new DnsPlanSettings(s.hostname(), Optional.of(relayHostName(relay)).filter(h -> !h.isEmpty()),
                reports, services, AutoconfigSettings.of(loaded).enabled(),
                OwnPolicy.of(MtaStsServerSettings.of(loaded), s.hostname()));
    }

    /** {@code [smtp.example.com]:587} → {@code smtp.example.com}. */
    static String relayHostName(String relay) {
        String h = relay.strip();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h.substring(1);
        }
        int colon = h.lastIndexOf(':');
        return colon > 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
    }
}
