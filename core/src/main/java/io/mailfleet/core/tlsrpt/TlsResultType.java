package io.mailfleet.core.tlsrpt;

/** The RFC 8460 §4.3 result types Mailfleet reports. */
public enum TlsResultType {
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    CERTIFICATE_EXPIRED("certificate-expired"),
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    VALIDATION_FAILURE("validation-failure"),
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    STS_POLICY_INVALID("sts-policy-invalid"),
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    /** DANE: the certificate matches none of the usable TLSA records. */
    TLSA_INVALID("tlsa-invalid"),
    /** DANE: the MX, address or TLSA records did not validate (bogus DNSSEC). */
    DNSSEC_INVALID("dnssec-invalid"),
    /** DANE: {@code dane-only} is configured but the destination publishes no usable TLSA records. */
    DANE_REQUIRED("dane-required");

    private final String text;

    TlsResultType(String text) {
        this.text = text;
    }

    /** The RFC spelling used in reports and log lines. */
    public String text() {
        return text;
    }
}
