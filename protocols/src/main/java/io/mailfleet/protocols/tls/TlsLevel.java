package io.mailfleet.protocols.tls;

import java.util.List;

/** docker-mailserver's {@code TLS_LEVEL}: which protocol versions and cipher suites are allowed. */
public enum TlsLevel {
    /** TLS 1.2 and 1.3 with forward-secret AEAD suites only. */
    MODERN(List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")),
    /** TLS 1.2 and 1.3 with the JDK's default suites, CBC included (docker-mailserver v14 keeps the 1.2 minimum too). */
    INTERMEDIATE(null);

    private final List<String> ciphers;

    TlsLevel(List<String> ciphers) {
        this.ciphers = ciphers;
    }

    public List<String> protocols() {
        return List.of("TLSv1.3", "TLSv1.2");
    }

    /** The allowed cipher suites (for intermediate: the JDK's enabled defaults, wider than Netty's AEAD-only set). */
    public List<String> ciphers() {
        if (ciphers != null) {
            return ciphers;
        }
        try {
            return List.of(javax.net.ssl.SSLContext.getDefault().getDefaultSSLParameters().getCipherSuites());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new TlsConfigurationException("the JDK has no default TLS context", e);
        }
    }
}
