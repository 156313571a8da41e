package io.mailfleet.cluster.queue;

import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.core.service.RemoteTransport;
import io.mailfleet.core.srs.Srs;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How the queue treats remote targets and notifications.
 *
 * @param transport    sends to remote servers; null keeps remote targets waiting (no outbound path)
 * @param retry        back-off and lifetime of deferred mail
 * @param delayWarning age after which a sender who asked for NOTIFY=DELAY is warned once; zero = never
 * @param hostname     this server's name: Reporting-MTA and MAILER-DAEMON of notifications
 * @param srs          sender rewriting for forwarded mail, or null when disabled
 * @param srsDomain    the domain SRS addresses are made in
 * @param dkimKeys     the signing key of a sender domain, if it has one
 * @param arcSeal      add an ARC set to forwarded mail with the forwarding domain's key (RFC 8617)
 */
public record OutboundPolicy(RemoteTransport transport, RetrySchedule retry, Duration delayWarning, String hostname,
                             Srs srs, String srsDomain, Function<String, Optional<DkimSigningKey>> dkimKeys,
                             boolean arcSeal) {

    /** Without ARC sealing. */
    public OutboundPolicy(RemoteTransport transport, RetrySchedule retry, Duration delayWarning, String hostname,
                          Srs srs, String srsDomain, Function<String, Optional<DkimSigningKey>> dkimKeys) {
        this(transport, retry, delayWarning, hostname, srs, srsDomain, dkimKeys, false);
    }

    public OutboundPolicy {
        Objects.requireNonNull(retry, "retry schedule");
        Objects.requireNonNull(hostname, "hostname");
        delayWarning = delayWarning == null ? Duration.ZERO : delayWarning;
        dkimKeys = dkimKeys == null ? d -> Optional.empty() : dkimKeys;
        if (srs != null && (srsDomain == null || srsDomain.isBlank())) {
            throw new IllegalArgumentException("SRS is enabled but no SRS domain is set");
        }
    }

    /** No outbound path: remote targets stay queued; notifications for local failures are still sent. */
    public static OutboundPolicy localOnly(String hostname) {
        return new OutboundPolicy(null, RetrySchedule.postfixDefaults(), Duration.ZERO, hostname, null, null, null);
    }

    /**
     * The original address behind one of our own SRS addresses (a bounce coming back to a forward),
     * or {@code address} unchanged when it is not ours or does not verify.
     */
    public String unwrapSrs(String address) {
        if (srs == null || address == null || !Srs.isSrs(address)) {
            return address;
        }
        int at = address.lastIndexOf('@');
        if (at < 0 || !srsDomain.equalsIgnoreCase(address.substring(at + 1))) {
            return address;
        }
        try {
            return srs.reverse(address);
        } catch (io.mailfleet.core.srs.SrsException e) {
            org.slf4j.LoggerFactory.getLogger(OutboundPolicy.class)
                    .warn("SRS address {} does not verify ({}); used as is", address, e.getMessage());
            return address;
        }
    }
}
