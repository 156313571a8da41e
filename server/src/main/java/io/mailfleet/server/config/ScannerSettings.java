package io.mailfleet.server.config;

import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The external content scanners at the end of DATA: {@code mailfleet.clamav} ({@code ENABLE_CLAMAV}),
 * {@code mailfleet.spamassassin} ({@code ENABLE_SPAMASSASSIN}, {@code SA_TAG}/{@code SA_TAG2}/{@code SA_KILL})
 * and {@code mailfleet.rspamd} ({@code ENABLE_RSPAMD}), and the guard every call to them goes through
 * ({@code mailfleet.scanners}: circuit breaker); {@code builtinScorer} is {@code mailfleet.spam-scorer.enabled}.
 */
public record ScannerSettings(Clamav clamav, SpamAssassin spamAssassin, Rspamd rspamd, Guard guard,
                              boolean builtinScorer) {

    /** What every scanner call shares: each call's time-out and concurrency are per scanner. */
    public record Guard(int breakerFailures, Duration breakerOpenFor) {
    }

    /**
     * One scanner's call limits and what a failed call means for the message: at most {@code maxConcurrent}
     * calls at once, {@code maxWaiting} more waiting for a slot (up to {@code timeout}), the rest fail at once.
     */
    public record Call(Duration timeout, int maxConcurrent, int maxWaiting, boolean failOpen) {
    }

    /**
     * clamd.
     *
     * @param address          a TCP address or a Unix socket path
     * @param messageSizeLimit larger messages are not scanned (logged), as in docker-mailserver
     * @param scanSubmission   scan the submission ports too (port 25 always, every client)
     */
    public record Clamav(boolean enabled, SocketAddress address, long messageSizeLimit, boolean scanSubmission,
                         Call call) {
    }

    /**
     * spamd and the docker-mailserver thresholds its score is mapped onto.
     *
     * @param spamToInbox        SPAMASSASSIN_SPAM_TO_INBOX: at SA_KILL deliver as spam (true) or refuse with 554
     * @param maxSize            larger messages are not scanned (spamc's limit)
     * @param checkAuthenticated scan authenticated and trusted clients, and the submission ports
     */
    public record SpamAssassin(boolean enabled, SocketAddress address, double tag, double tag2, double kill,
                               boolean spamToInbox, long maxSize, String user, boolean checkAuthenticated,
                               Call call) {
    }

    /**
     * Rspamd's normal worker (or its controller, with the password).
     *
     * @param checkAuthenticated RSPAMD_CHECK_AUTHENTICATED: scan authenticated and trusted clients, and submission
     */
    public record Rspamd(boolean enabled, URI url, String password, long maxSize, boolean checkAuthenticated,
                         Call call) {
    }

    /** Reads and checks the keys; a bad value names its key. */
    static ScannerSettings read(ValueReader r) {
        Guard guard = new Guard(r.intIn("mailfleet.scanners.breaker-failures", 1, 1000),
                r.durationIn("mailfleet.scanners.breaker-open-for", Duration.ofSeconds(1), Duration.ofHours(1),
                        "a duration from 1s to 1h, such as 30s"));
        Clamav clamav = new Clamav(r.bool("mailfleet.clamav.enabled"), address(r, "mailfleet.clamav.address", true),
                r.bytes("mailfleet.clamav.message-size-limit"), r.bool("mailfleet.clamav.scan-submission"),
                call(r, "mailfleet.clamav"));
        double tag = score(r, "mailfleet.spamassassin.tag");
        double tag2 = score(r, "mailfleet.spamassassin.tag2");
        double kill = score(r, "mailfleet.spamassassin.kill");
        if (tag2 < tag) {
            throw r.invalid("mailfleet.spamassassin.tag2", Double.toString(tag2),
                    "a score at or above mailfleet.spamassassin.tag (" + tag + ")");
        }
        if (kill < tag2) {
            throw r.invalid("mailfleet.spamassassin.kill", Double.toString(kill),
                    "a score at or above mailfleet.spamassassin.tag2 (" + tag2 + ")");
        }
        SpamAssassin sa = new SpamAssassin(r.bool("mailfleet.spamassassin.enabled"),
                address(r, "mailfleet.spamassassin.address", false), tag, tag2, kill,
                r.bool("mailfleet.spamassassin.spam-to-inbox"), r.bytes("mailfleet.spamassassin.max-size"),
                r.string("mailfleet.spamassassin.user"), r.bool("mailfleet.spamassassin.check-authenticated"),
                call(r, "mailfleet.spamassassin"));
        Rspamd rspamd = new Rspamd(r.bool("mailfleet.rspamd.enabled"), url(r, "mailfleet.rspamd.url"),
                r.string("mailfleet.rspamd.password"), r.bytes("mailfleet.rspamd.max-size"),
                r.bool("mailfleet.rspamd.check-authenticated"), call(r, "mailfleet.rspamd"));
        return new ScannerSettings(clamav, sa, rspamd, guard, r.bool("mailfleet.spam-scorer.enabled"));
    }

    /** The settings of a loaded configuration (checked already when it was loaded). */
    public static ScannerSettings of(LoadedConfig loaded) {
        return read(new ValueReader(loaded.config(), Map.of()));
    }

    private static Call call(ValueReader r, String section) {
        return new Call(r.durationIn(section + ".timeout", Duration.ofMillis(100), Duration.ofMinutes(30),
                "a duration from 100ms to 30m, such as 60s"),
                r.intIn(section + ".max-concurrent", 1, 1000), r.intIn(section + ".max-waiting", 0, 100_000),
                r.bool(section + ".fail-open"));
    }

    private static double score(ValueReader r, String key) {
        String s = r.string(key);
        try {
            double d = Double.parseDouble(s);
            if (Double.isFinite(d) && Math.abs(d) <= 10_000) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through to the error below
        }
        throw r.invalid(key, s, "a SpamAssassin score such as 2.0 or 6.31");
    }

    /** host:port, [v6]:port, or (when allowed) an absolute Unix socket path. */
    private static SocketAddress address(ValueReader r, String key, boolean unixAllowed) {
        String s = r.string(key);
        if (unixAllowed && s.startsWith("/")) {
            return UnixDomainSocketAddress.of(Path.of(s));
        }
        return HostPort.parse(s).<SocketAddress>map(a -> a).orElseThrow(() -> r.invalid(key, s,
                unixAllowed ? "host:port or the absolute path of a Unix socket" : "host:port"));
    }

    private static URI url(ValueReader r, String key) {
        String s = r.string(key);
        try {
            URI u = new URI(s);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return u;
            }
        } catch (java.net.URISyntaxException e) {
            // falls through to the error below
        }
        throw r.invalid(key, s, "an http:// or https:// URL such as http://127.0.0.1:11333");
    }
}
