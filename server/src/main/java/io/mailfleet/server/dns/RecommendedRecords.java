package io.mailfleet.server.dns;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The DNS records a domain should publish for this node: MX, SPF, DKIM (the existing keys), DMARC, MTA-STS,
 * TLS-RPT and the RFC 6186 / 8314 SRV records. Policies start lenient (DMARC {@code p=none}, MTA-STS
 * {@code mode: testing} unless {@code mailfleet.mta-sts-server.mode} says otherwise) so that publishing them
 * loses no mail; the operator tightens them after reading reports.
 */
public final class RecommendedRecords {

    private final DnsPlanSettings settings;
    private final DkimRecords dkim;
    private final java.util.function.Supplier<java.util.Optional<java.security.cert.X509Certificate>> certificate;

    public RecommendedRecords(DnsPlanSettings settings, DkimRecords dkim) {
        this(settings, dkim, java.util.Optional::empty);
    }

    private RecommendedRecords(DnsPlanSettings settings, DkimRecords dkim,
                               java.util.function.Supplier<java.util.Optional<java.security.cert.X509Certificate>> certificate) {
        this.settings = settings;
        this.dkim = dkim;
        this.certificate = certificate;
    }

    /** The same plan with the DANE TLSA record of the mail certificate served now (none when TLS is off). */
    public RecommendedRecords withCertificate(
            java.util.function.Supplier<java.util.Optional<java.security.cert.X509Certificate>> current) {
        return new RecommendedRecords(settings, dkim, current);
    }

    /** The records and the MTA-STS policy file of one domain. */
    public record Plan(String domain, List<DnsRecord> records, String mtaStsPolicyUrl, String mtaStsPolicy) {
        public Plan {
            records = List.copyOf(records);
        }
    }

    /** The plan of {@code domain} (lower case, a valid name). Reads the DKIM key files: call it off request threads. */
    public Plan of(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        String host = settings.hostname().toLowerCase(Locale.ROOT);
        String rua = "mailto:" + settings.reportAddress().orElse("postmaster@" + d);
        List<DnsRecord> out = new ArrayList<>();
        out.add(new DnsRecord(d, "MX", "10 " + host + ".", "mail for " + d + " is delivered to this node"));
        String spf = settings.relayHost().map(r -> "v=spf1 mx a:" + r + " -all").orElse("v=spf1 mx -all");
        out.add(new DnsRecord(d, "TXT", spf, settings.relayHost()
                .map(r -> "SPF: the MX and relay host " + r + " send for " + d + " (a relay provider may ask for its include: instead)")
                .orElse("SPF: only the MX hosts send mail for " + d)));
        for (DkimRecords.Record key : dkim.of(d)) {
            String text;
            try {
                text = DkimKeys.recordFromZoneFileText(key.text());
            } catch (DkimException e) {
                text = key.text();
            }
            String selector = key.name().substring(0, Math.max(0, key.name().indexOf("._domainkey.")));
            out.add(new DnsRecord(key.name(), "TXT", text, switch (key.role()) {
                case SIGNING -> "DKIM public key made by ./mailfleet config dkim";
                case PENDING -> "DKIM public key of a rotation, not signing yet: publish it, then"
                        + " ./mailfleet config dkim rotate " + d + " --confirm";
                case NOT_SIGNING -> "DKIM public key that does not sign now (an old or extra key): keep it published until"
                        + " ./mailfleet config dkim retire " + d + " " + selector;
            }));
        }
        out.add(new DnsRecord("_dmarc." + d, "TXT", "v=DMARC1; p=none; rua=" + rua,
                "DMARC: report only at first; raise p= to quarantine/reject once the reports show only your mail"));
        String reportDomain = rua.substring(rua.indexOf('@') + 1);
        if (!reportDomain.equals(d)) {
            out.add(new DnsRecord(d + "._report._dmarc." + reportDomain, "TXT", "v=DMARC1",
                    "RFC 7489 7.1: " + reportDomain + " accepts DMARC reports for " + d + " (publish in " + reportDomain + ")"));
        }
        String policy = settings.mtaSts().text();
        out.add(new DnsRecord("_mta-sts." + d, "TXT", "v=STSv1; id=" + settings.mtaSts().id(),
                "MTA-STS: the id changes with the policy served at https://mta-sts." + d + "/.well-known/mta-sts.txt"));
        out.add(new DnsRecord("_smtp._tls." + d, "TXT", "v=TLSRPTv1; rua=" + rua,
                "TLS-RPT: where senders report TLS failures delivering to " + d));
        certificate.get().ifPresent(cert -> out.add(DaneRecords.tlsa(host, cert)));
        for (DnsPlanSettings.Service s : settings.services()) {
            out.add(s.port() > 0
                    ? new DnsRecord(s.label() + "._tcp." + d, "SRV", s.priority() + " 1 " + s.port() + " " + host + ".",
                            "RFC 6186: clients find " + s.label().substring(1) + " on port " + s.port())
                    : new DnsRecord(s.label() + "._tcp." + d, "SRV", "0 0 0 .",
                            "RFC 6186: " + s.label().substring(1) + " is not offered by this node"));
        }
        if (settings.autodiscover()) {
            out.add(new DnsRecord("_autodiscover._tcp." + d, "SRV", "0 1 443 " + host + ".",
                    "Autodiscover over HTTPS: the TLS proxy in front of the autoconfig listener (docs/autoconfig.md)"));
        }
        return new Plan(d, out, "https://mta-sts." + d + "/.well-known/mta-sts.txt", policy);
    }

}
