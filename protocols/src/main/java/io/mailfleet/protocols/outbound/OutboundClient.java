package io.mailfleet.protocols.outbound;

import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.protocols.outbound.dane.DaneHost;
import io.mailfleet.protocols.outbound.dane.TlsaMatcher;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbound SMTP client (Netty): delivers one message to one destination, trying its hosts in
 * order like Postfix's smtp(8) — the next host after a connection failure, a 4xx/5xx greeting, a
 * 4xx to EHLO or MAIL, a TLS or AUTH failure or a timeout; never after per-recipient replies.
 * Enforces a concurrency limit per destination (excess deliveries wait) and reuses idle
 * connections per destination after RSET.
 *
 * <p>Protocol work blocks a delivery worker thread (at most the sum of the per-destination limits
 * are busy); the socket I/O itself runs on the Netty event loop.
 *
 * <p>TLS follows the delivery's {@link TlsPolicy}: a mandatory level never falls back to
 * plaintext, {@code verify}/{@code secure} check the chain against the {@link OutboundTrust} and
 * the names against the match patterns; each session logs what it proved ({@code tls=verified},
 * {@code tls=encrypted-unverified}, {@code tls=none}). Under an MTA-STS {@code testing} policy the
 * certificate is checked after the handshake and the verdict only reported. A host with DANE TLSA
 * records ({@link Delivery#dane()}) must do STARTTLS and its chain must match a record
 * ({@code tls=verified dane=pass}), with no plaintext retry. What each new session
 * proved comes back as {@link DeliveryResult#tlsAttempts()} for TLS-RPT.
 */
public final class OutboundClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboundClient.class);

    private final OutboundSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final ExecutorService workers;
    private final DestinationLimiter limiter;
    private final ConnectionCache cache;
    private final SslContext sslContext;
    private final SslContext verifyingContext;
    private final OutboundTrust trust;

    /** A client that verifies certificates (at {@code verify}/{@code secure}) against the system trust store. */
    public OutboundClient(OutboundSettings settings) {
        this(settings, OutboundTrust.system());
    }

    /** A client that verifies certificates (at {@code verify}/{@code secure}) against {@code trust}. */
    public OutboundClient(OutboundSettings settings, OutboundTrust trust) {
        this.settings = settings;
        this.trust = trust;
        this.group = new MultiThreadIoEventLoopGroup(settings.ioThreads(), NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread th = new Thread(r, "outbound-smtp-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        });
        this.limiter = new DestinationLimiter(settings.destinationConcurrency());
        this.cache = new ConnectionCache(settings.idlePerDestination(), settings.idleTimeout(), settings.timeouts().rset());
        try {
            // Like Postfix at "may"/"encrypt": encryption without peer authentication.
            this.sslContext = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
            // Names are checked after the handshake against the policy's match patterns (Postfix rules), not HTTPS rules.
            this.verifyingContext = SslContextBuilder.forClient().trustManager(trust.factory())
                    .endpointIdentificationAlgorithm(null).build();
        } catch (SSLException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot create the outbound TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * Delivers the message; the stage completes with per-recipient results (it does not complete
     * exceptionally for delivery problems, which are TEMPORARY or PERMANENT results).
     */
    public CompletionStage<DeliveryResult> deliver(Delivery delivery) {
        return limiter.acquire(delivery.destination())
                .thenCompose(v -> CompletableFuture.supplyAsync(() -> run(delivery), workers))
                .whenComplete((r, e) -> limiter.release(delivery.destination()));
    }

    /** Deliveries waiting for a free slot of their destination. */
    public int waiting(String destination) {
        return limiter.waiting(destination);
    }

    @Override
    public void close() {
        cache.closeAll();
        workers.shutdown();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private DeliveryResult run(Delivery d) {
        List<TlsAttempt> attempts = new ArrayList<>();
        try {
            return attempt(d, attempts).withTlsAttempts(attempts);
        } catch (RuntimeException e) {
            return allTemporary(d, "4.3.0", "internal error while delivering: " + e, null).withTlsAttempts(attempts);
        }
    }

    private DeliveryResult attempt(Delivery d, List<TlsAttempt> attempts) {
        OutboundTimeouts t = settings.timeouts();
        String key = cacheKey(d);
        ClientConnection cached = null;
        for (TargetHost h : d.hosts()) {
            for (InetAddress a : h.addresses()) {
                if (cached == null) {
                    cached = cache.take(key + "|" + new InetSocketAddress(a, h.port()));
                }
            }
        }
        if (cached != null) {
            try {
                RemoteReply r = cached.command("RSET", "RSET", t.rset());
                if (r.positive()) {
                    return finish(key, cached, new SmtpTransaction(cached, d, t).run());
                }
                cached.quit(t.rset());
            } catch (OutboundException e) {
                // A stale cached connection is not a delivery failure: open a fresh one.
                cached.close();
            } catch (SmtpTransaction.MessageUnreadable e) {
                return allTemporary(d, "4.3.0", e.getMessage(), null);
            }
        }
        List<String> failures = new ArrayList<>();
        OutboundException last = null;
        for (TargetHost h : d.hosts()) {
            if (d.tlsPolicy() == TlsPolicy.DANE_ONLY && !(d.dane(h.host()) instanceof DaneHost.Authenticated)) {
                // The transport only hands dane-only hosts with usable TLSA records over; anything else fails closed.
                last = new OutboundException("4.7.5", "TLS policy dane-only for " + d.destination() + ": host "
                        + h.host() + " has no usable DNSSEC-validated TLSA records, mail is kept in the queue");
                failures.add(last.getMessage());
                LOG.warn("not connecting to {} for {}: {}; tls=none dane=insecure", h.host(), d.destination(),
                        last.getMessage());
                continue;
            }
            for (InetAddress a : h.addresses()) {
                boolean tlsAllowed = d.tlsPolicy() != TlsPolicy.NONE;
                for (int round = 0; round < 2; round++) {
                    ClientConnection conn = null;
                    try {
                        conn = ClientConnection.connect(bootstrap, h.host(), new InetSocketAddress(a, h.port()),
                                t.connect());
                        open(conn, d, h, tlsAllowed, attempts);
                        return finish(key, conn, new SmtpTransaction(conn, d, t).run());
                    } catch (OutboundException e) {
                        last = e;
                        failures.add(e.getMessage());
                        if (conn != null) {
                            conn.close();
                        }
                        // Postfix at "may" retries in plaintext when the TLS handshake fails.
                        if ("4.7.5".equals(e.status()) && !mandatory(d, h) && tlsAllowed) {
                            tlsAllowed = false;
                            continue;
                        }
                        break;
                    } catch (SmtpTransaction.MessageUnreadable e) {
                        return allTemporary(d, "4.3.0", e.getMessage(), conn == null ? null : conn.label());
                    }
                }
            }
        }
        String status = last == null ? "4.4.1" : last.status();
        String diagnostic = failures.size() == 1 ? failures.get(0)
                : String.join("; ", failures.subList(Math.max(0, failures.size() - 3), failures.size()));
        String requireTlsFailure = d.envelope().requireTls() ? RequireTls.permanentStatus(status) : null;
        if (requireTlsFailure != null) {
            LOG.warn("not relaying REQUIRETLS mail for {}: {}; returned to the sender with {}", d.destination(),
                    diagnostic, requireTlsFailure);
            return allPermanent(d, requireTlsFailure, diagnostic);
        }
        if (status.startsWith("5")) {
            status = "4" + status.substring(1);
        }
        return allTemporary(d, status, diagnostic, null);
    }

    private DeliveryResult finish(String key, ClientConnection conn, DeliveryResult result) {
        if (settings.idlePerDestination() > 0) {
            // Keyed by the remote address too: a later delivery reuses it only if that host is one of its targets.
            cache.offer(key + "|" + conn.remote(), conn);
        } else {
            conn.quit(settings.timeouts().rset());
        }
        return result;
    }

    /** Greeting, EHLO (HELO fallback), STARTTLS per policy, AUTH when a login is given. */
    private void open(ClientConnection conn, Delivery d, TargetHost h, boolean tlsAllowed, List<TlsAttempt> attempts)
            throws OutboundException {
        OutboundTimeouts t = settings.timeouts();
        String host = conn.label();
        String ip = conn.remote().getAddress().getHostAddress();
        RemoteReply greeting = conn.await("greeting", t.greeting());
        if (!greeting.positive()) {
            throw new OutboundException(greeting.status("0.0"), "host " + host + " refused to talk to me: "
                    + greeting.text());
        }
        hello(conn, d.heloName());
        DaneHost dane = d.dane(h.host());
        boolean mandatory = mandatory(d, h);
        if (tlsAllowed) {
            if (conn.extensions().containsKey("STARTTLS")) {
                RemoteReply r = conn.command("STARTTLS", "STARTTLS", t.helo());
                if (r.code() == 220) {
                    // DANE authenticates with the TLSA records, not the trust store (RFC 7672 §3.1).
                    boolean verify = !(dane instanceof DaneHost.Authenticated) && d.tlsPolicy().authenticates();
                    try {
                        conn.startTls(verify ? verifyingContext : sslContext, h.host(), h.port(), t.helo());
                    } catch (OutboundException e) {
                        attempts.add(new TlsAttempt(h.host(), ip, TlsFailures.ofHandshake(e.getCause()), e.getMessage()));
                        throw e;
                    }
                    if (dane instanceof DaneHost.Authenticated a) {
                        checkTlsa(conn, d, h, a, attempts);
                        attempts.add(new TlsAttempt(h.host(), ip, null, ""));
                    } else if (verify) {
                        checkNames(conn, d, h, attempts);
                        attempts.add(new TlsAttempt(h.host(), ip, null, ""));
                    } else if (d.sts() != null) {
                        // MTA-STS testing: report what enforce would have refused, deliver anyway.
                        attempts.add(TlsFailures.evaluate(trust.x509(), conn.peerChain(), h.host(), ip));
                    } else {
                        attempts.add(new TlsAttempt(h.host(), ip, null, ""));
                    }
                    hello(conn, d.heloName());
                } else {
                    attempts.add(new TlsAttempt(h.host(), ip, TlsResultType.STARTTLS_NOT_SUPPORTED,
                            "STARTTLS refused: " + r.text()));
                    if (mandatory) {
                        throw new OutboundException("4.7.4", "TLS is required" + daneReason(dane) + ", but host " + host
                                + " refused STARTTLS: " + r.text());
                    }
                }
            } else {
                attempts.add(new TlsAttempt(h.host(), ip, TlsResultType.STARTTLS_NOT_SUPPORTED, "STARTTLS not offered"));
                if (mandatory) {
                    throw new OutboundException("4.7.4", "TLS is required" + daneReason(dane)
                            + " but was not offered by host " + host);
                }
            }
        }
        if (d.envelope().requireTls()) {
            boolean daneLevel = d.tlsPolicy() == TlsPolicy.DANE || d.tlsPolicy() == TlsPolicy.DANE_ONLY;
            if (daneLevel && !(dane instanceof DaneHost.Authenticated)) {
                // RFC 8689 §4.2.1: only a server authenticated by DANE (or the PKIX levels) may carry it
                throw new OutboundException(RequireTls.NOT_VERIFIED, "REQUIRETLS: host " + host
                        + " is not authenticated by DANE (tls=" + conn.tlsVerdict() + ")");
            }
            if (!conn.extensions().containsKey("REQUIRETLS")) {
                throw new OutboundException(RequireTls.NOT_SUPPORTED, "REQUIRETLS support required, but host " + host
                        + " does not offer REQUIRETLS" + (conn.tls() ? "" : " over TLS") + " (tls=" + conn.tlsVerdict() + ")");
            }
        }
        if (d.tlsPolicy() == TlsPolicy.DANE || d.tlsPolicy() == TlsPolicy.DANE_ONLY) {
            LOG.info("outbound session with {} for {}: tls={}{} level={}{}", host, d.destination(), conn.tlsVerdict(),
                    dane instanceof DaneHost.Authenticated ? "" : dane instanceof DaneHost.EncryptOnly
                            ? " dane=unusable-tlsa" : " dane=insecure", d.tlsPolicy().configName(),
                    d.sts() == null ? "" : " " + d.sts());
        } else if (d.sts() == null) {
            LOG.info("outbound session with {} for {}: tls={} level={}", host, d.destination(), conn.tlsVerdict(),
                    d.tlsPolicy().configName());
        } else {
            LOG.info("outbound session with {} for {}: tls={} level={} {}", host, d.destination(), conn.tlsVerdict(),
                    d.tlsPolicy().configName(), d.sts());
        }
        if (d.credentials() != null) {
            authenticate(conn, d.credentials());
        }
    }

    /** True when this host must not be reached without TLS: the level says so, or its secure TLSA records do (RFC 7672 §2.2). */
    private static boolean mandatory(Delivery d, TargetHost h) {
        DaneHost dane = d.dane(h.host());
        return d.tlsPolicy().mandatory() || (dane != null && dane.applies());
    }

    private static String daneReason(DaneHost dane) {
        return dane != null && dane.applies() ? " (the host has DNSSEC-validated TLSA records)" : "";
    }

    /** The peer chain against the host's usable TLSA records (RFC 7672 §3); a mismatch is never delivered to. */
    private static void checkTlsa(ClientConnection conn, Delivery d, TargetHost h, DaneHost.Authenticated a,
                                  List<TlsAttempt> attempts) throws OutboundException {
        X509Certificate[] chain = conn.peerChain();
        List<String> names = chain.length == 0 ? List.of() : CertificateNames.of(chain[0]);
        TlsaMatcher.Verdict v = TlsaMatcher.check(a.usable(), chain, names,
                n -> CertificateNames.matching(n, List.of("hostname", "nexthop"), h.host(), d.nextHopName()) != null);
        if (!v.pass()) {
            attempts.add(new TlsAttempt(h.host(), conn.remote().getAddress().getHostAddress(),
                    TlsResultType.TLSA_INVALID, v.detail()));
            conn.close();
            LOG.warn("outbound TLS with {} for {}: dane=fail {}; TLSA records {}; not delivering, tls=unverified level={}",
                    conn.label(), d.destination(), v.detail(), a.usable(), d.tlsPolicy().configName());
            throw new OutboundException("4.7.5", "DANE authentication of host " + conn.label() + " failed: "
                    + v.detail() + " (TLS level " + d.tlsPolicy().configName() + ")");
        }
        conn.tlsVerdict("verified dane=pass " + v.detail());
    }

    /** The certificate names against the delivery's match patterns; the chain was verified in the handshake. */
    private static void checkNames(ClientConnection conn, Delivery d, TargetHost h, List<TlsAttempt> attempts)
            throws OutboundException {
        X509Certificate cert = conn.peerCertificate();
        List<String> names = cert == null ? List.of() : CertificateNames.of(cert);
        List<String> patterns = d.tls().effectiveMatch();
        String matched = CertificateNames.matching(names, patterns, h.host(), d.nextHopName());
        if (matched == null) {
            attempts.add(new TlsAttempt(h.host(), conn.remote().getAddress().getHostAddress(),
                    TlsResultType.CERTIFICATE_HOST_MISMATCH, "certificate names " + names));
            conn.close();
            LOG.warn("outbound TLS with {} for {}: certificate names {} match none of {} (hostname {}, nexthop {});"
                    + " not delivering, tls=unverified level={}{}", conn.label(), d.destination(), names,
                    patterns, h.host(), d.nextHopName(), d.tlsPolicy().configName(),
                    d.sts() == null ? "" : " " + d.sts());
            throw new OutboundException("4.7.5", "server certificate not verified: the names " + names + " of host "
                    + conn.label() + " match none of " + String.join(", ", patterns) + " (TLS level "
                    + d.tlsPolicy().configName() + (d.sts() == null ? "" : ", MTA-STS " + d.sts().mode().text()) + ")");
        }
        conn.tlsVerdict("verified match=" + matched);
    }

    private void hello(ClientConnection conn, String heloName) throws OutboundException {
        OutboundTimeouts t = settings.timeouts();
        RemoteReply ehlo = conn.command("EHLO " + heloName, "EHLO", t.helo());
        if (ehlo.positive()) {
            Map<String, String> ext = new LinkedHashMap<>();
            for (String line : ehlo.lines().subList(1, ehlo.lines().size())) {
                String[] kv = line.strip().split("[ =]", 2);
                ext.put(kv[0].toUpperCase(Locale.ROOT), kv.length > 1 ? kv[1].strip() : "");
            }
            conn.setEhlo(true, ext);
            return;
        }
        if (ehlo.transientFailure()) {
            throw new OutboundException(ehlo.status("0.0"), SmtpTransaction.said(conn.label(), ehlo, "EHLO"));
        }
        RemoteReply helo = conn.command("HELO " + heloName, "HELO", t.helo());
        if (!helo.positive()) {
            throw new OutboundException(helo.status("0.0"), SmtpTransaction.said(conn.label(), helo, "HELO"));
        }
        conn.setEhlo(false, Map.of());
    }

    private void authenticate(ClientConnection conn, SaslCredentials c) throws OutboundException {
        OutboundTimeouts t = settings.timeouts();
        String host = conn.label();
        if (!conn.tls()) {
            throw new OutboundException("4.7.0", "refusing to send credentials to " + host
                    + " over a connection without TLS");
        }
        List<String> mechanisms = List.of(conn.extensions().getOrDefault("AUTH", "").toUpperCase(Locale.ROOT)
                .split("\\s+"));
        RemoteReply r;
        if (mechanisms.contains("PLAIN")) {
            String token = b64("\0" + c.username() + "\0" + c.password());
            r = conn.command("AUTH PLAIN " + token, "AUTH", t.helo());
        } else if (mechanisms.contains("LOGIN")) {
            r = conn.command("AUTH LOGIN", "AUTH", t.helo());
            if (r.code() == 334) {
                r = conn.command(b64(c.username()), "AUTH", t.helo());
            }
            if (r.code() == 334) {
                r = conn.command(b64(c.password()), "AUTH", t.helo());
            }
        } else {
            throw new OutboundException("4.7.0", "host " + host
                    + " offers no authentication mechanism this client can use (PLAIN, LOGIN) but a relay login is configured");
        }
        if (r.code() != 235) {
            if (r.intermediate()) {
                conn.close();
            }
            throw new OutboundException("4.7.8", "SASL authentication failed with host " + host + ": " + r.text());
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String cacheKey(Delivery d) {
        // A connection is reused only under the same DANE verdicts it was authenticated with.
        return d.destination() + "|" + d.tlsPolicy() + d.tlsMatch() + "|"
                + (d.credentials() == null ? "" : d.credentials().username()) + (d.dane().isEmpty() ? "" : "|dane"
                + d.dane().hashCode());
    }

    private static DeliveryResult allPermanent(Delivery d, String status, String diagnostic) {
        List<RecipientResult> out = new ArrayList<>();
        for (EnvelopeRecipient r : d.envelope().recipients()) {
            out.add(new RecipientResult(r, Outcome.PERMANENT, status, diagnostic));
        }
        return new DeliveryResult(out, null, false, false);
    }

    /** The delivery workers, where blocking reads of the message may run. */
    java.util.concurrent.Executor workers() {
        return workers;
    }

    private static DeliveryResult allTemporary(Delivery d, String status, String diagnostic, String host) {
        List<RecipientResult> out = new ArrayList<>();
        for (EnvelopeRecipient r : d.envelope().recipients()) {
            out.add(new RecipientResult(r, Outcome.TEMPORARY, status, diagnostic));
        }
        return new DeliveryResult(out, host, false, false);
    }
}
