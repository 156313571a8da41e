package io.mailfleet.protocols.outbound.sts;

import io.mailfleet.core.tlsrpt.TlsResultType;
import io.mailfleet.protocols.outbound.https.HttpsClient;
import io.mailfleet.protocols.outbound.https.HttpsFailure;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3) over the
 * {@link HttpsClient}: certificate valid for {@code mta-sts.<domain>}, redirects not followed, only
 * a 200 with {@code text/plain} accepted, at most 64 KB, bounded by a timeout. Failures carry the
 * TLS-RPT result type.
 */
public final class PolicyFetcher {

    /** RFC 8461 §3.3: senders may limit the policy size; 64 KB is the usual bound. */
    public static final int MAX_BODY = 64 * 1024;

    private final HttpsClient https;
    private final int port;
    private final Duration timeout;

    /**
     * @param port    the HTTPS port (443; tests use others)
     * @param timeout the bound on the whole fetch, DNS included
     */
    public PolicyFetcher(HttpsClient https, int port, Duration timeout) {
        this.https = https;
        this.port = port;
        this.timeout = timeout;
    }

    /** The policy body; fails with a {@link PolicyFetchException}. */
    public CompletionStage<byte[]> fetch(String domain) {
        String host = "mta-sts." + domain;
        return https.exchange(HttpMethod.GET, host, port, "/.well-known/mta-sts.txt", null, null, MAX_BODY, timeout)
                .handle((r, e) -> {
                    if (e != null) {
                        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        throw failure(host, c);
                    }
                    if (r.status() != 200) {
                        throw new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                                "the MTA-STS policy host " + host + " answered HTTP " + r.status()
                                        + (r.status() >= 300 && r.status() < 400 ? " (redirects are not followed)" : ""));
                    }
                    String type = r.contentType().strip().toLowerCase(Locale.ROOT);
                    if (!type.startsWith("text/plain")) {
                        throw new PolicyFetchException(TlsResultType.STS_POLICY_INVALID, "the MTA-STS policy from "
                                + host + " has content type '" + type + "', not text/plain");
                    }
                    return r.body();
                });
    }

    private static PolicyFetchException failure(String host, Throwable c) {
        if (c instanceof HttpsFailure f) {
            TlsResultType type = switch (f.kind()) {
                case CERTIFICATE -> TlsResultType.STS_WEBPKI_INVALID;
                case TOO_LARGE -> TlsResultType.STS_POLICY_INVALID;
                default -> TlsResultType.STS_POLICY_FETCH_ERROR;
            };
            return new PolicyFetchException(type, "fetching the MTA-STS policy from " + host + " failed: " + f.getMessage());
        }
        return new PolicyFetchException(TlsResultType.STS_POLICY_FETCH_ERROR,
                "fetching the MTA-STS policy from " + host + " failed: " + c);
    }
}
