package io.mailfleet.protocols.outbound;

import io.mailfleet.core.tlsrpt.TlsResultType;

import javax.net.ssl.X509TrustManager;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Classifies TLS failures of outbound sessions as RFC 8460 result types. */
final class TlsFailures {

    private TlsFailures() {
    }

    /** The result type of a failed handshake, from its cause chain. */
    static TlsResultType ofHandshake(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return TlsResultType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return TlsResultType.CERTIFICATE_EXPIRED;
            }
            if (t instanceof CertPathBuilderException) {
                return TlsResultType.CERTIFICATE_NOT_TRUSTED;
            }
        }
        return TlsResultType.VALIDATION_FAILURE;
    }

    /**
     * Checks a chain the handshake accepted without verification, as {@code verify} with
     * {@code match=hostname} would have: the chain against the trust store, then the names.
     */
    static TlsAttempt evaluate(X509TrustManager trust, X509Certificate[] chain, String host, String ip) {
        if (chain.length == 0) {
            return new TlsAttempt(host, ip, TlsResultType.VALIDATION_FAILURE, "no peer certificate");
        }
        try {
            chain[0].checkValidity();
        } catch (CertificateException e) {
            return new TlsAttempt(host, ip, TlsResultType.CERTIFICATE_EXPIRED, e.getMessage());
        }
        try {
            // "UNKNOWN" is the key-exchange type TLS 1.3 sessions report; the PKIX checks are the same.
            trust.checkServerTrusted(chain, "UNKNOWN");
        } catch (CertificateException e) {
            TlsResultType type = ofHandshake(e);
            return new TlsAttempt(host, ip, type == TlsResultType.VALIDATION_FAILURE
                    ? TlsResultType.CERTIFICATE_NOT_TRUSTED : type, e.getMessage());
        }
        List<String> names = CertificateNames.of(chain[0]);
        if (CertificateNames.matching(names, List.of("hostname"), host, host) == null) {
            return new TlsAttempt(host, ip, TlsResultType.CERTIFICATE_HOST_MISMATCH, "certificate names " + names);
        }
        return new TlsAttempt(host, ip, null, "");
    }
}
