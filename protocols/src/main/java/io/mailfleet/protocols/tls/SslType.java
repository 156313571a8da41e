package io.mailfleet.protocols.tls;

/** docker-mailserver's {@code SSL_TYPE}: where the server certificate comes from. */
public enum SslType {
    /** No TLS at all (empty {@code SSL_TYPE}). */
    NONE,
    /** PEM key and chain at {@code SSL_KEY_PATH} / {@code SSL_CERT_PATH}. */
    MANUAL,
    /** {@code /etc/letsencrypt/live/<domain>/{fullchain,privkey}.pem}. */
    LETSENCRYPT,
    /** Generated at first start into {@code <data>/tls/} and reused afterwards. */
    SELF_SIGNED,
    /**
     * One PEM holding the key and the full chain (docker-mailserver's {@code ssl/<FQDN>-full.pem});
     * the operator configuration resolves it to a certificate and a key path, which may be the same file.
     */
    CUSTOM
}
